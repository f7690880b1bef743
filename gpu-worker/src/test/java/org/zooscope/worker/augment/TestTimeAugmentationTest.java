package org.zooscope.worker.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.tiling.AugmentationVariants;
import org.zooscope.worker.inference.LoadedModel;
import org.zooscope.worker.inference.PredictorCache;
import org.zooscope.worker.inference.SkeletonModel;
import org.zooscope.worker.inference.TileInference;

class TestTimeAugmentationTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5})
    void everyVariantOfEveryLevelInvertsExactly(int frames) {
        Random rnd = new Random(frames);
        int h = 5;
        int w = 7; // not square, so a wrong height/width swap shows
        float[] x = new float[frames * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        for (Augmentation level : Augmentation.values()) {
            for (int v : level.variantIndices(frames)) {
                int oh = AugmentationVariants.outputHeight(v, h, w);
                int ow = AugmentationVariants.outputWidth(v, h, w);
                float[] aug = AugmentationVariants.apply(v, x, frames, h, w);
                assertThat(AugmentationVariants.invert(v, aug, frames, oh, ow)).as("variant %d", v)
                        .containsExactly(x);
                // a model output (one class channel) loses the z-reversal but must come back in place
                float[] outChannel = java.util.Arrays.copyOf(aug, oh * ow);
                float[] back = AugmentationVariants.invertSpatial(v, outChannel, 1, oh, ow);
                int srcFrame = AugmentationVariants.reversesZ(v) ? frames - 1 : 0;
                assertThat(back).as("variant %d spatial", v)
                        .containsExactly(java.util.Arrays.copyOfRange(x, srcFrame * h * w, (srcFrame + 1) * h * w));
            }
        }
    }

    @Test
    void deAugmentedModelOutputsMatchTheUnaugmentedRunAndTheirVarianceIsZero() throws Exception {
        // the skeleton model commutes with flips and rotations: every de-augmented variant must equal variant 0
        LoadedModel model = SkeletonModel.get();
        Random rnd = new Random(7);
        int h = 12;
        int w = 20;
        float[] tile = new float[h * w];
        for (int i = 0; i < tile.length; i++) {
            tile[i] = rnd.nextFloat() * (i % w); // a ramp plus noise: no symmetry of its own
        }
        TileInference inference = new TileInference(16, 1 << 20);
        try (PredictorCache predictors = new PredictorCache()) {
            List<TileInference.Item> items = List.of(new TileInference.Item(tile, 1, h, w, 0));
            float[] plain = inference.run(model, predictors, items, new int[] {0}).get(0).mean();
            for (int v = 0; v < 8; v++) {
                TileInference.Result r = inference.run(model, predictors, items, new int[] {v}).get(0);
                assertThat(r.mean()).as("variant %d", v).containsExactly(plain, within(1e-6f));
                assertThat(r.variance()).isNull();
            }
            TileInference.Result full = inference.run(model, predictors, items,
                    Augmentation.FULL.variantIndices(1)).get(0);
            assertThat(full.variants()).isEqualTo(8);
            assertThat(full.mean()).containsExactly(plain, within(1e-6f));
            for (float var : full.variance()) {
                assertThat(var).isBetween(0f, 1e-10f);
            }
        }
    }

    @Test
    void meanAndVarianceAreThoseOfTheVariantsInFloat() throws Exception {
        // each variant's de-augmented output computed alone; the batched run must give their mean and population variance
        LoadedModel model = SkeletonModel.get();
        int h = 9;
        int w = 9;
        float[] tile = new float[h * w];
        tile[10] = 30; // one bright pixel off the diagonal
        TileInference inference = new TileInference(3, 1 << 20); // batches of 3 split the 8 variants unevenly
        try (PredictorCache predictors = new PredictorCache()) {
            List<TileInference.Item> items = List.of(new TileInference.Item(tile, 1, h, w, 0));
            int[] variants = Augmentation.FULL.variantIndices(1);
            double[] sum = new double[h * w];
            double[] sumSq = new double[h * w];
            for (int v : variants) {
                float[] m = inference.run(model, predictors, items, new int[] {v}).get(0).mean();
                for (int p = 0; p < m.length; p++) {
                    sum[p] += m[p];
                    sumSq[p] += (double) m[p] * m[p];
                }
            }
            TileInference.Result r = inference.run(model, predictors, items, variants).get(0);
            for (int p = 0; p < h * w; p++) {
                double mean = sum[p] / variants.length;
                assertThat((double) r.mean()[p]).isCloseTo(mean, within(1e-6));
                assertThat((double) r.variance()[p]).isCloseTo(sumSq[p] / variants.length - mean * mean, within(1e-6));
            }
        }
    }
}
