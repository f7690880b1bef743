package org.zooscope.worker.inference;

import org.zooscope.core.process.Processing;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.zooscope.core.tiling.AugmentationVariants;

/**
 * Runs one model on several padded tiles with test-time augmentation: every (tile, variant) pair is augmented, pairs
 * of the same shape go through the model together (as many per run as the model's batch axis and the memory bound
 * allow), each output is postprocessed as the package declares, its spatial transform undone, and the variants of a
 * tile are averaged in float with the per-pixel variance kept (Welford's update, so no precision is lost to a sum of
 * squares). The order of accumulation depends only on the variant list, so a tile done twice gives the same bytes.
 */
public final class TileInference {
    private final int maxBatchItems;
    private final long maxBatchValues;

    /**
     * @param maxBatchItems  most tiles × variants in one model run
     * @param maxBatchValues most input values in one model run (bounds the native memory of a run)
     */
    public TileInference(int maxBatchItems, long maxBatchValues) {
        if (maxBatchItems < 1 || maxBatchValues < 1) {
            throw new IllegalArgumentException("batch bounds must be >= 1");
        }
        this.maxBatchItems = maxBatchItems;
        this.maxBatchValues = maxBatchValues;
    }

    /** A padded tile {@code [channels][height][width]} and the output channel wanted from it. */
    public record Item(float[] data, int channels, int height, int width, int outputChannel) {
        public Item {
            if ((long) channels * height * width != data.length) {
                throw new IllegalArgumentException("tile of " + data.length + " values is not " + channels + "x" + height + "x" + width);
            }
        }
    }

    /** The mean over variants of the wanted channel, {@code [height][width]}, and their variance (null for one variant). */
    public record Result(float[] mean, float[] variance, int variants) {
    }

    private record Pending(int item, int variant, float[] data, int height, int width) {
    }

    public List<Result> run(LoadedModel model, PredictorCache predictors, List<Item> items, int[] variants)
            throws TranslateException {
        if (variants.length == 0) {
            throw new IllegalArgumentException("at least one variant must run");
        }
        int n = items.size();
        float[][] mean = new float[n][];
        float[][] m2 = new float[n][];
        int[] count = new int[n];
        // group (tile, variant) pairs by the shape the variant gives, keeping a deterministic order
        Map<Long, List<Pending>> byShape = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Item it = items.get(i);
            for (int v : variants) {
                int h = AugmentationVariants.outputHeight(v, it.height(), it.width());
                int w = AugmentationVariants.outputWidth(v, it.height(), it.width());
                byShape.computeIfAbsent(((long) it.channels() << 40) | ((long) h << 20) | w, k -> new ArrayList<>())
                        .add(new Pending(i, v, null, h, w));
            }
        }
        for (List<Pending> group : byShape.values()) {
            int from = 0;
            while (from < group.size()) {
                Pending first = group.get(from);
                int c = items.get(first.item()).channels();
                long perItem = (long) c * first.height() * first.width();
                int room = model.signature().batchable()
                        ? (int) Math.max(1, Math.min(maxBatchItems, maxBatchValues / perItem)) : 1;
                List<Pending> chunk = group.subList(from, Math.min(group.size(), from + room));
                runChunk(model, predictors, items, chunk, mean, m2, count);
                from += chunk.size();
            }
        }
        List<Result> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] var = null;
            if (count[i] > 1) {
                var = m2[i];
                for (int p = 0; p < var.length; p++) {
                    var[p] /= count[i];
                }
            }
            results.add(new Result(mean[i], var, count[i]));
        }
        return results;
    }

    private void runChunk(LoadedModel model, PredictorCache predictors, List<Item> items, List<Pending> chunk,
                          float[][] mean, float[][] m2, int[] count) throws TranslateException {
        Pending first = chunk.get(0);
        int c = items.get(first.item()).channels();
        int h = first.height();
        int w = first.width();
        int size = c * h * w;
        float[] batch;
        if (chunk.size() == 1 && first.variant() == 0) {
            batch = items.get(first.item()).data(); // the common no-augmentation case: no copy
        } else {
            batch = new float[chunk.size() * size];
            for (int k = 0; k < chunk.size(); k++) {
                Pending p = chunk.get(k);
                Item it = items.get(p.item());
                float[] aug = p.variant() == 0 ? it.data() : AugmentationVariants.apply(p.variant(), it.data(), c, it.height(), it.width());
                System.arraycopy(aug, 0, batch, k * size, size);
            }
        }
        TileOutput out = predictors.predict(model, new TileInput(batch, chunk.size(), c, h, w));
        if (out.batch() != chunk.size() || out.height() != h || out.width() != w) {
            throw new ModelOutputException("model " + model.description().id() + " returned shape [" + out.batch() + ", "
                    + out.channels() + ", " + out.height() + ", " + out.width() + "] for an input of [" + chunk.size()
                    + ", " + c + ", " + h + ", " + w + "]");
        }
        Processing.Bound post = model.postprocessing();
        int plane = out.height() * out.width();
        for (int n = 0; n < out.batch(); n++) {
            post.apply(0, out.data(), n * out.channels() * plane, out.channels(), plane);
        }
        for (int k = 0; k < chunk.size(); k++) {
            Pending p = chunk.get(k);
            int channel = items.get(p.item()).outputChannel();
            if (channel >= out.channels()) {
                throw new ModelOutputException("model " + model.description().id() + " has " + out.channels()
                        + " output channel(s); channel " + channel + " was asked for");
            }
            // one item of one channel: the output array is the channel, no copy needed
            float[] y = out.batch() == 1 && out.channels() == 1 ? out.data() : out.channel(k, channel);
            float[] x = p.variant() == 0 ? y : AugmentationVariants.invertSpatial(p.variant(), y, 1, h, w);
            accumulate(p.item(), x, mean, m2, count);
        }
    }

    private static void accumulate(int i, float[] x, float[][] mean, float[][] m2, int[] count) {
        count[i]++;
        if (count[i] == 1) {
            mean[i] = x;
            return;
        }
        if (m2[i] == null) {
            m2[i] = new float[x.length];
        }
        float[] m = mean[i];
        float[] s = m2[i];
        float inv = 1f / count[i];
        for (int p = 0; p < x.length; p++) {
            float delta = x[p] - m[p];
            m[p] += delta * inv;
            s[p] += delta * (x[p] - m[p]);
        }
    }
}
