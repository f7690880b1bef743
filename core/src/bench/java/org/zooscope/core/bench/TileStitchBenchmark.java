package org.zooscope.core.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.zooscope.core.tiling.AugmentationVariants;
import org.zooscope.core.tiling.Stitcher;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.ZContext;
import org.zooscope.core.volume.FloatVolume;

/**
 * Tiling and stitching the 1024 × 1024 × 10 stack (10.5 Mpx) with an identity "model": for every plane, extract
 * every padded tile (3 z-frames as channels for the 3-frame case), and stitch the outputs back with blending. The
 * {@code tta} variant also applies and inverts one of the 16 augmentation variants per tile. Time per whole stack.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class TileStitchBenchmark {

    /** core size / halo / step. */
    @Param({"256/32/16", "512/64/16"})
    public String tiling;

    @Param({"1", "3"})
    public int frames;

    private FloatVolume stack;
    private TileGrid grid;
    private Stitcher stitcher;

    @Setup
    public void setUp() {
        stack = BenchData.stack();
        String[] t = tiling.split("/");
        grid = TileGrid.cover(stack.width(), stack.height(), Integer.parseInt(t[0]), Integer.parseInt(t[1]),
                Integer.parseInt(t[2]));
        stitcher = new Stitcher(stack.width(), stack.height(), grid);
    }

    @Benchmark
    public float tileAndStitch() {
        return run(false);
    }

    @Benchmark
    public float tileAugmentAndStitch() {
        return run(true);
    }

    private float run(boolean tta) {
        int w = stack.width();
        int h = stack.height();
        float check = 0;
        float[] out = new float[w * h];
        float[][] planes = new float[frames][];
        for (int z = 0; z < stack.depth(); z++) {
            int[] zs = ZContext.frames(z, stack.depth(), frames);
            for (int c = 0; c < frames; c++) {
                planes[c] = stack.plane(zs[c]);
            }
            stitcher.reset();
            for (Tile t : grid.tiles()) {
                float[] in = TileExtractor.extractFrames(planes, w, h, grid, t);
                int pw = grid.paddedWidth(t);
                int ph = grid.paddedHeight(t);
                float[] model;
                if (tta) {
                    int v = (t.index() + z) % Augmentation.COUNT;
                    float[] a = Augmentation.apply(v, in, frames, ph, pw);
                    float[] centre = new float[pw * ph];
                    System.arraycopy(a, (frames / 2) * pw * ph, centre, 0, pw * ph);
                    model = Augmentation.invertSpatial(v, centre, 1, Augmentation.outputHeight(v, ph, pw),
                            Augmentation.outputWidth(v, ph, pw));
                } else {
                    model = new float[pw * ph];
                    System.arraycopy(in, (frames / 2) * pw * ph, model, 0, pw * ph);
                }
                stitcher.add(t, model);
            }
            stitcher.result(out);
            check += out[z * 1000];
        }
        return check;
    }
}
