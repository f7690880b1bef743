package org.zooscope.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;

class PackageValidatorTest {

    @Test
    void theSkeletonPackageFitsItsGraphAndBatches() throws Exception {
        ModelSignature sig = PackageValidator.signature(SkeletonModel.dir().resolve("weights.onnx"));
        assertThat(sig.inputName()).isEqualTo("input");
        assertThat(sig.batchable()).isTrue();
        byte[] yaml = Files.readAllBytes(SkeletonModel.dir().resolve("bioimageio.yaml"));
        assertThat(PackageValidator.problems(parse(yaml), yaml, sig)).isEmpty();
    }

    @Test
    void everyContradictionBetweenDescriptionAndGraphIsReported() throws Exception {
        String yaml = Files.readString(SkeletonModel.dir().resolve("bioimageio.yaml"))
                .replace("channel_names: [raw]", "channel_names: [z0, z1, z2]")
                .replace("    test_tensor: {source: test_output.npy", "    data: {type: uint8}\n    test_tensor: {source: test_output.npy")
                .replace("weights:", "    postprocessing:\n      - id: zero_mean_unit_variance\nweights:")
                .replace("      - id: scale_range", "      - id: scale_mean_variance\n        kwargs: {reference_tensor: other}\n      - id: scale_range");
        byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
        ModelSignature sig = PackageValidator.signature(SkeletonModel.dir().resolve("weights.onnx"));
        List<String> problems = PackageValidator.problems(parse(bytes), bytes, sig);
        assertThat(String.join("\n", problems))
                .contains("declares 3 input channel(s) but the graph takes 1")
                .contains("preprocessing: processing step 'scale_mean_variance'")
                .contains("postprocessing: processing step 'zero_mean_unit_variance': needs statistics")
                .contains("output's data type uint8 is not a float");
    }

    @Test
    void aHaloThatLeavesNothingOfAFixedInputIsRefused() throws Exception {
        String yaml = Files.readString(SkeletonModel.dir().resolve("bioimageio.yaml"))
                .replace("size: {min: 8, step: 1}", "size: 8").replace("halo: 1", "halo: 4");
        byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
        ModelSignature sig = PackageValidator.signature(SkeletonModel.dir().resolve("weights.onnx"));
        assertThat(PackageValidator.problems(parse(bytes), bytes, sig)).anyMatch(p -> p.contains("halo of 4"));
    }

    private static ModelDescription parse(byte[] yaml) throws Exception {
        return ModelDescriptionParser.parse(new ByteArrayInputStream(yaml));
    }
}
