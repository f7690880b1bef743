package org.zooscope.core.modelpkg.check;

import java.util.Arrays;
import java.util.List;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelTiling;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.process.Processing;
import org.zooscope.core.tiling.Mirror;
import org.zooscope.core.tiling.Stitcher;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.core.tiling.ZContext;

/**
 * The test input run as a preview runs it, so that a package that passes validation also previews: cut into tiles by
 * {@link ModelTiling} (the planner's rule), each tile fed to the model at the padded shape a worker would feed, the
 * outputs postprocessed and stitched. Also the smallest input the description admits, which a preview of a small
 * image gets. Every tile must run and give a finite output of the tile's size; the stitched map is not compared with
 * {@code test_output} element by element (the whole-input run is), because tiles see mirrored context where the whole
 * input sees the model's own padding, so a wide receptive field legitimately differs near tile seams.
 */
final class PreviewTestRun {
    private PreviewTestRun() {
    }

    /**
     * @param post    the model's postprocessing, applied to each tile's output as a worker does
     * @param session the model seen as tiles see it ({@link TileSession})
     * @param input   the preprocessed test input, {@code [1, channels, y, x]}; a 3D model's {@code [1, 1, z, y, x]},
     *                of which the z block centred on its middle slice is run, as a worker runs that output slice
     * @return the stitched output {@code [1, channels, y, x]}, or null when a problem was added
     */
    static NpyArray run(ModelDescription d, Processing post, ModelRunner.Session session, NpyArray input,
                        List<String> problems) {
        if (d.depth() > 0 && input.shape().length == 5) {
            input = middleBlock(input, d.depth());
        }
        long[] s = input.shape();
        if (s.length != 4 || s[0] != 1) {
            return null; // the consistency check has named it
        }
        int channels = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        TileLayout layout;
        try {
            layout = ModelTiling.layout(d, w, h, ModelTiling.DEFAULT_TILE_SIZE);
        } catch (IllegalArgumentException e) {
            problems.add("the model cannot be previewed: " + e.getMessage());
            return null;
        }
        TileGrid grid = layout.grid(w, h);
        float[][] planes = new float[channels][];
        for (int c = 0; c < channels; c++) {
            planes[c] = Arrays.copyOfRange(input.data(), c * w * h, (c + 1) * w * h);
        }
        Stitcher[] stitchers = null;
        for (Tile t : grid.tiles()) {
            NpyArray y = runTile(d, post, session, TileExtractor.extractFrames(planes, w, h, grid, t), channels,
                    grid.paddedHeight(t), grid.paddedWidth(t), "tile " + t.index() + " of the test input", problems);
            if (y == null) {
                return null;
            }
            int outChannels = (int) y.shape()[1];
            if (stitchers == null) {
                stitchers = new Stitcher[outChannels];
                for (int c = 0; c < outChannels; c++) {
                    stitchers[c] = new Stitcher(w, h, grid);
                }
            }
            int plane = grid.paddedHeight(t) * grid.paddedWidth(t);
            for (int c = 0; c < Math.min(outChannels, stitchers.length); c++) {
                stitchers[c].add(t, Arrays.copyOfRange(y.data(), c * plane, (c + 1) * plane));
            }
        }
        int smallestH = d.inputY().min();
        int smallestW = d.inputX().min();
        if (runTile(d, post, session, corner(planes, w, h, smallestH, smallestW), channels, smallestH, smallestW,
                "the smallest input the description admits", problems) == null) {
            return null;
        }
        float[] out = new float[stitchers.length * w * h];
        for (int c = 0; c < stitchers.length; c++) {
            System.arraycopy(stitchers[c].result(), 0, out, c * w * h, w * h);
        }
        return new NpyArray(new long[] {1, stitchers.length, h, w}, out);
    }

    /** The frames a worker feeds for the middle slice of a {@code [1, 1, z, y, x]} volume: {@code [1, depth, y, x]}. */
    private static NpyArray middleBlock(NpyArray volume, int depth) {
        long[] s = volume.shape();
        int z = (int) s[2];
        int plane = (int) (s[3] * s[4]);
        int[] zs = ZContext.frames(z / 2, z, depth);
        float[] out = new float[depth * plane];
        for (int k = 0; k < depth; k++) {
            System.arraycopy(volume.data(), zs[k] * plane, out, k * plane, plane);
        }
        return new NpyArray(new long[] {1, depth, s[3], s[4]}, out);
    }

    /** The test input's top-left {@code th × tw} corner, mirrored where the input is smaller: real pixels, not zeros. */
    private static float[] corner(float[][] planes, int w, int h, int th, int tw) {
        float[] out = new float[planes.length * th * tw];
        for (int c = 0; c < planes.length; c++) {
            for (int r = 0; r < th; r++) {
                for (int col = 0; col < tw; col++) {
                    out[(c * th + r) * tw + col] = planes[c][Mirror.index(r, h) * w + Mirror.index(col, w)];
                }
            }
        }
        return out;
    }

    private static NpyArray runTile(ModelDescription d, Processing post, ModelRunner.Session session, float[] data, int channels,
                                    int h, int w, String what, List<String> problems) {
        String shape = Arrays.toString(new long[] {1, channels, h, w});
        NpyArray y;
        try {
            y = ProcessedTensors.processed(post, session.run(new NpyArray(new long[] {1, channels, h, w}, data)));
        } catch (ModelRunner.RunException e) {
            problems.add("a preview would fail: " + what + " (" + shape + ", a size the description declares) fails in ONNX Runtime: "
                    + e.getMessage());
            return null;
        }
        long[] ys = y.shape();
        if (ys.length != 4 || ys[0] != 1 || ys[2] != h || ys[3] != w) {
            problems.add("a preview would fail: for " + what + " " + shape + " the model returns " + Arrays.toString(ys)
                    + "; Zooscope needs an output of the input's batch and spatial size");
            return null;
        }
        for (float v : y.data()) {
            if (!Float.isFinite(v)) {
                problems.add("a preview would fail: for " + what + " " + shape + " the model returns " + v);
                return null;
            }
        }
        return y;
    }
}
