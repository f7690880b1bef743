package org.zooscope.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.NpyArray;

/**
 * Every package under the repository's {@code zoo/} (and the skeleton test model, in formats 0.5 and 0.4) must load unchanged in the worker
 * and reproduce its own {@code test_output.npy} from {@code test_input.npy}, after the declared preprocessing computed
 * over the test tensor as bioimage.io does, within bioimage.io's tolerance: {@code |got - want| <= atol + rtol*|want|}
 * with rtol = atol = 1e-3, at most 100 mismatched elements per million.
 */
class ZooPackagesTest {
    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-3;

    static Stream<Path> packages() throws IOException {
        List<Path> dirs = new ArrayList<>();
        dirs.add(SkeletonModel.dir());
        dirs.add(SkeletonModel.dir().resolveSibling("skeleton-smooth-v04")); // the same model in format 0.4
        Path zoo = Path.of(System.getProperty("zooscope.root", "..")).resolve("zoo");
        if (Files.isDirectory(zoo)) {
            try (Stream<Path> s = Files.list(zoo)) {
                s.filter(d -> Files.isRegularFile(d.resolve("bioimageio.yaml"))).sorted().forEach(dirs::add);
            }
        }
        return dirs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void packageReproducesItsTestOutput(Path dir) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        try (LoadedModel model = ModelRepository.loadDirectory(dir, Device.cpu(), 2);
             PredictorCache predictors = new PredictorCache()) {
            ModelDescription d = model.description();
            NpyArray in = NpyArray.read(Files.readAllBytes(dir.resolve(d.testInput().source())));
            NpyArray want = NpyArray.read(Files.readAllBytes(dir.resolve(d.testOutput().source())));
            assertThat(in.shape()).as("test input axes").hasSize(4);
            int[] shape = {(int) in.shape()[0], (int) in.shape()[1], (int) in.shape()[2], (int) in.shape()[3]};
            float[] x = in.data().clone();
            model.processing().preprocessing().applyToTensor(x, shape[0], shape[1], shape[2] * shape[3]);

            // through the worker's own path: translator, predictor, declared postprocessing
            TileOutput out = predictors.predict(model, new TileInput(x, shape[0], shape[1], shape[2], shape[3]));
            model.postprocessing().apply(0, out.data(), 0, out.batch() * out.channels(), out.height() * out.width());

            assertThat(new long[] {out.batch(), out.channels(), out.height(), out.width()}).as("output shape")
                    .containsExactly(want.shape());
            float[] got = out.data();
            int mismatched = 0;
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                double diff = Math.abs(got[i] - want.data()[i]);
                worst = Math.max(worst, diff);
                if (!(diff <= ATOL + RTOL * Math.abs(want.data()[i]))) {
                    mismatched++;
                }
            }
            assertThat(mismatched * 1_000_000L / got.length).as("mismatched elements per million (max |diff| %s)", worst)
                    .isLessThanOrEqualTo(100);
        }
    }
}
