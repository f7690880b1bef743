package org.zooscope.core.tiling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.zooscope.core.process.Processing;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;

/**
 * Runs a tile model over a whole volume: for each plane, the z-frames from {@link ZContext}, each tile's padded input
 * from {@link TileExtractor} (frames as channels), optional preprocessing bound to whole-volume statistics, the
 * requested {@link Augmentation} variants (outputs inverted and averaged), and {@link Stitcher} blending. A reference
 * implementation of the pipeline the workers run, small enough to test every step together.
 *
 * <p>Not thread-safe with respect to the model (it is called from the calling thread only); the volume is only read.
 */
public final class TiledPrediction {

    private TiledPrediction() {
    }

    /** A network on one tile. */
    @FunctionalInterface
    public interface TileModel {
        /**
         * @param input    {@code [channels][height][width]}, row-major; the model must not keep it
         * @param channels number of z-frames
         * @return one output channel {@code [height][width]} (e.g. the foreground probability)
         */
        float[] predict(float[] input, int channels, int height, int width);
    }

    /**
     * Predicts every plane of {@code v}.
     *
     * @param frames   odd number of z-frames the model takes (1, 3, 5)
     * @param variants augmentation variants to average (e.g. {@code {0}} for none, 0..15 for all 16)
     * @param pre      preprocessing bound to {@code v}'s statistics, or null
     * @return float32 outputs, same size and voxel size as {@code v}
     */
    public static FloatVolume predict(Volume v, TileGrid grid, int frames, int[] variants, Processing.Bound pre,
            TileModel model) {
        Objects.requireNonNull(model, "model");
        if (variants.length == 0) {
            throw new IllegalArgumentException("at least one augmentation variant is needed");
        }
        int w = v.width();
        int h = v.height();
        Stitcher stitcher = new Stitcher(w, h, grid);
        List<float[]> out = new ArrayList<>(v.depth());
        FloatVolume inMemory = v instanceof FloatVolume f ? f : null;
        for (int z = 0; z < v.depth(); z++) {
            int[] zs = ZContext.frames(z, v.depth(), frames);
            float[][] planes = new float[frames][];
            for (int c = 0; c < frames; c++) {
                if (inMemory != null) {
                    planes[c] = inMemory.plane(zs[c]);
                } else {
                    planes[c] = new float[w * h];
                    v.copyPlane(zs[c], planes[c]);
                }
            }
            stitcher.reset();
            for (Tile t : grid.tiles()) {
                int pw = grid.paddedWidth(t);
                int ph = grid.paddedHeight(t);
                float[] in = TileExtractor.extractFrames(planes, w, h, grid, t);
                if (pre != null) {
                    pre.apply(z, in, 0, frames, pw * ph);
                }
                float[] sum = new float[pw * ph];
                for (int variant : variants) {
                    int ah = AugmentationVariants.outputHeight(variant, ph, pw);
                    int aw = AugmentationVariants.outputWidth(variant, ph, pw);
                    float[] y = model.predict(AugmentationVariants.apply(variant, in, frames, ph, pw), frames, ah, aw);
                    if (y.length != ah * aw) {
                        throw new IllegalStateException("model returned " + y.length + " samples for a " + aw + "x"
                                + ah + " tile");
                    }
                    float[] back = AugmentationVariants.invertSpatial(variant, y, 1, ah, aw);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += back[i];
                    }
                }
                if (variants.length > 1) {
                    float inv = 1f / variants.length;
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] *= inv;
                    }
                }
                stitcher.add(t, sum);
            }
            out.add(stitcher.result());
        }
        return new FloatVolume(w, h, out, DataType.FLOAT32, v.voxelSize());
    }
}
