package org.zooscope.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.tiling.ZContext;

/**
 * Models whose tensors are not the tiles' own, run through the worker's path (package checks, translator, predictor,
 * augmentation): a 3D model gets each output slice's z block as frames and gives back that slice; a model whose output
 * is at half the input's resolution gives a map on the input's grid. The expectations are the packages' own test
 * outputs, computed by numpy (core's tiling fixtures, tools/make_shape_fixtures.py).
 */
class ModelGeometryTest {
    private static Path packages;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
        packages = Path.of(System.getProperty("zooscope.root", "..")).resolve("core/src/test/resources/packages");
    }

    private static NpyArray tensor(Path dir, String name) throws Exception {
        return NpyArray.read(Files.readAllBytes(dir.resolve(name)));
    }

    @Test
    void a3dModelGivesEachSliceOfItsZBlockCentredOnIt() throws Exception {
        Path dir = packages.resolve("3d");
        try (LoadedModel model = ModelRepository.loadDirectory(dir, Device.cpu(), 1);
             PredictorCache predictors = new PredictorCache()) {
            assertThat(model.description().frames()).as("z 3 + n*2 with a z halo of 1: 3").isEqualTo(3);
            NpyArray in = tensor(dir, "test_input.npy"); // [1, 1, 5, 64, 64]
            NpyArray want = tensor(dir, "test_output.npy");
            int depth = (int) in.shape()[2];
            int plane = 64 * 64;
            float[] volume = in.data().clone();
            // statistics over z, y and x, as the package declares and a preview binds them to the whole volume
            model.processing().preprocessing().applyToTensor(volume, depth, 1, plane);

            // slices 1..3: their blocks are real planes, as in the whole test input's run
            for (int z = 1; z <= 3; z++) {
                int[] zs = ZContext.frames(z, depth, 3);
                float[] block = new float[3 * plane];
                for (int k = 0; k < 3; k++) {
                    System.arraycopy(volume, zs[k] * plane, block, k * plane, plane);
                }
                // every variant: the kernel is symmetric under the flips and turns, and under z's flip
                int[] variants = Augmentation.FULL.variantIndices(3);
                TileInference.Result r = new TileInference(4, 1 << 24).run(model, predictors,
                        List.of(new TileInference.Item(block, 3, 64, 64, 0)), variants).get(0);

                assertThat(r.variants()).isEqualTo(16);
                assertThat(maxDifference(r.mean(), want.data(), z * plane)).as("slice " + z).isLessThan(1e-5);
            }
        }
    }

    @Test
    void aHalfResolutionOutputComesBackOnTheInputGridBilinearly() throws Exception {
        Path dir = packages.resolve("half-res-output");
        try (LoadedModel model = ModelRepository.loadDirectory(dir, Device.cpu(), 1);
             PredictorCache predictors = new PredictorCache()) {
            NpyArray in = tensor(dir, "test_input.npy"); // [1, 1, 96, 128]
            float[] half = tensor(dir, "test_output.npy").data(); // [1, 1, 48, 64]
            float[] x = in.data().clone();
            model.processing().preprocessing().applyToTensor(x, 1, 1, 96 * 128);

            float[] got = new TileInference(4, 1 << 24).run(model, predictors,
                    List.of(new TileInference.Item(x, 1, 96, 128, 0)), new int[] {0}).get(0).mean();

            assertThat(got).hasSize(96 * 128);
            // input pixel 2j lies a quarter of an output pixel before output pixel j's centre, 2j + 1 a quarter after:
            // 3/4 of output pixel j and 1/4 of its neighbour on that side, on each axis (the edges repeat instead)
            double worst = 0;
            for (int r = 1; r < 95; r++) {
                int j = r / 2;
                int nj = r % 2 == 0 ? j - 1 : j + 1;
                for (int c = 1; c < 127; c++) {
                    int k = c / 2;
                    int nk = c % 2 == 0 ? k - 1 : k + 1;
                    double want = 0.5625 * half[j * 64 + k] + 0.1875 * half[nj * 64 + k] + 0.1875 * half[j * 64 + nk]
                            + 0.0625 * half[nj * 64 + nk];
                    worst = Math.max(worst, Math.abs(got[r * 128 + c] - want));
                }
            }
            assertThat(worst).isLessThan(1e-5);
        }
    }

    private static double maxDifference(float[] got, float[] want, int offset) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[offset + i]));
        }
        return worst;
    }
}
