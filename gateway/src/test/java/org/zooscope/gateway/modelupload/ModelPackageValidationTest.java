package org.zooscope.gateway.modelupload;

import org.zooscope.core.testing.TestPackages;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.modelpkg.check.ModelPackageValidator;
import org.zooscope.core.modelpkg.check.PackageLimits;
import org.zooscope.core.modelpkg.check.Reproducibility;

/** The whole validation pipeline with the real ONNX Runtime test run, on valid fixtures and on broken copies of them. */
class ModelPackageValidationTest {
    private static final ModelPackageValidator VALIDATOR =
            new ModelPackageValidator(PackageLimits.defaults(), new OrtModelRunner(), Reproducibility.BIOIMAGEIO);

    @TempDir
    Path tmp;

    @Test
    void theSkeletonModelPasses() throws Exception {
        var result = VALIDATOR.validate(TestPackages.of("/packages/skeleton-smooth").zip(tmp.resolve("p.zip")));

        assertThat(result.problems()).isEmpty();
        assertThat(result.valid()).hasValueSatisfying(v -> assertThat(v.description().id()).isEqualTo("skeleton-smooth"));
    }

    @Test
    void theEcosystemStandInPassesUnchanged() throws Exception {
        var result = VALIDATOR.validate(TestPackages.of("/packages/ecosystem-standin").zip(tmp.resolve("p.zip")));

        assertThat(result.problems()).isEmpty();
        var d = result.valid().orElseThrow().description();
        assertThat(d.formatVersion()).isEqualTo("0.4.9");
        assertThat(d.preprocessing()).singleElement().satisfies(op -> assertThat(op.id()).isEqualTo("zero_mean_unit_variance"));
        assertThat(result.valid().orElseThrow().contents().descriptionName()).isEqualTo("rdf.yaml");
    }

    @ParameterizedTest
    @CsvSource({"/packages/fixed-512, 512+0, 512+0", "/packages/min-step, 64+48, 80+32", "/packages/fixed-256-v04, 256+0, 256+0",
        "/packages/channel-last, 16+8, 16+8", "/packages/two-channel, 16+8, 16+8",
        "/packages/two-output, 16+8, 16+8", "/packages/half-res-output, 64+32, 64+32", "/packages/3d, 16+8, 16+8"})
    void modelsDeclaringTheirInputSizesPassTheTestRunAndItsPreviewRun(String fixture, String y, String x) throws Exception {
        var result = VALIDATOR.validate(TestPackages.of(fixture).zip(tmp.resolve("p.zip")));

        assertThat(result.problems()).isEmpty();
        var d = result.valid().orElseThrow().description();
        assertThat(d.inputY().min() + "+" + d.inputY().step()).isEqualTo(y);
        assertThat(d.inputX().min() + "+" + d.inputX().step()).isEqualTo(x);
    }

    @Test
    void aChannelLastGraphDescribedAsChannelFirstIsRefused() throws Exception {
        String channelAxis = "      - type: channel\n        channel_names: [raw]\n";
        TestPackages p = TestPackages.of("/packages/channel-last");
        String yaml = new String(p.file("bioimageio.yaml"), StandardCharsets.UTF_8);
        String moved = yaml.replaceFirst(Pattern.quote(channelAxis), "")
                .replaceFirst("      - type: batch\n", "      - type: batch\n" + channelAxis);

        var result = VALIDATOR.validate(p.editDescription(yaml, moved).zip(tmp.resolve("p.zip")));

        assertThat(result.valid()).isEmpty();
        assertThat(result.problems()).anySatisfy(m -> assertThat(m).contains("test input has 96 channels"));
    }

    @Test
    void aGraphFixedAt512DescribedAsTakingAnySizeIsRefused() throws Exception {
        var result = VALIDATOR.validate(TestPackages.of("/packages/fixed-512")
                .editDescription("size: 512", "size: {min: 64, step: 16}").zip(tmp.resolve("p.zip")));

        assertThat(result.valid()).isEmpty();
        assertThat(result.problems()).anySatisfy(m -> assertThat(m).contains("fixed at 512 px on y").contains("64+n*16"));
    }

    @Test
    void aModelWhoseWholeTestInputRunsButWhoseTilesDoNotIsRefused() throws Exception {
        // the graph takes y = 64 + n*48 only; declared as 64 + n*16 the 112 px test input still runs whole, but a
        // preview's 144 px tiles (112 + 2 * 16 halo) do not
        var result = VALIDATOR.validate(TestPackages.of("/packages/min-step")
                .editDescription("size: {min: 64, step: 48}", "size: {min: 64, step: 16}").zip(tmp.resolve("p.zip")));

        assertThat(result.valid()).isEmpty();
        assertThat(result.problems()).singleElement().asString()
                .contains("a preview would fail").contains("[1, 1, 144, 144]").contains("ONNX Runtime");
    }

    @Test
    void aHalfResolutionOutputDescribedOnTheInputsGridIsRefused() throws Exception {
        // without its scale 2.0 the output is taken on the input's grid, which neither its test output nor its tiles are
        var result = VALIDATOR.validate(TestPackages.of("/packages/half-res-output")
                .editDescription("        scale: 2.0\n", "").zip(tmp.resolve("p.zip")));

        assertThat(result.valid()).isEmpty();
        assertThat(result.problems()).anySatisfy(m -> assertThat(m)
                .contains("test output shape [1, 1, 48, 64] does not match the test input [1, 1, 96, 128]"));
        assertThat(result.problems()).anySatisfy(m -> assertThat(m).contains("a preview would fail")
                .contains("Zooscope needs an output of the input's batch and spatial size"));
    }

    @Test
    void a3dModelWhoseTestInputIsNotAZSizeItDeclaresIsRefused() throws Exception {
        var result = VALIDATOR.validate(TestPackages.of("/packages/3d")
                .editDescription("size: {min: 3, step: 2}", "size: 7").zip(tmp.resolve("p.zip")));

        assertThat(result.valid()).isEmpty();
        assertThat(result.problems()).singleElement().asString()
                .isEqualTo("test input size 5 on axis z is not one the description accepts (min 7, step 0)");
    }

    @Test
    void aBadHashIsNamed() throws Exception {
        TestPackages p = TestPackages.of("/packages/skeleton-smooth");
        byte[] weights = p.file("weights.onnx").clone();
        weights[weights.length - 1] ^= 1;

        var result = VALIDATOR.validate(p.replace("weights.onnx", weights).zip(tmp.resolve("p.zip")));

        assertThat(result.valid()).isEmpty();
        assertThat(result.problems()).anySatisfy(m -> assertThat(m).contains("weights.onnx").contains("sha256"));
    }

    @Test
    void aWrongOutputShapeIsNamed() throws Exception {
        var wrong = new NpyArray(new long[] {1, 1, 32, 32}, new float[32 * 32]);

        var result = VALIDATOR.validate(TestPackages.of("/packages/skeleton-smooth").replaceDeclared("test_output.npy", wrong.toBytes())
                .zip(tmp.resolve("p.zip")));

        assertThat(result.problems()).isNotEmpty().anySatisfy(m -> assertThat(m).contains("test output shape [1, 1, 32, 32]"));
    }

    @Test
    void aTestRunThatDoesNotReproduceTheOutputIsNamed() throws Exception {
        TestPackages p = TestPackages.of("/packages/skeleton-smooth");
        NpyArray out = NpyArray.read(p.file("test_output.npy"));
        float[] shifted = out.data().clone();
        for (int i = 0; i < shifted.length; i += 7) {
            shifted[i] += 0.01f;
        }

        var result = VALIDATOR.validate(p.replaceDeclared("test_output.npy", new NpyArray(out.shape(), shifted).toBytes())
                .zip(tmp.resolve("p.zip")));

        assertThat(result.problems()).singleElement().asString().contains("does not reproduce test_output").contains("586 of 4096");
    }

    @Test
    void aPackagesOwnReproducibilityToleranceIsHonoured() throws Exception {
        var loose = VALIDATOR.validate(shiftedOutputDeclaring("{absolute_tolerance: 0.02}").zip(tmp.resolve("a.zip")));
        var tight = VALIDATOR.validate(shiftedOutputDeclaring("{absolute_tolerance: 0.005}").zip(tmp.resolve("b.zip")));

        assertThat(loose.problems()).isEmpty();
        assertThat(tight.problems()).singleElement().asString().contains("does not reproduce test_output").contains("atol 0.005");
    }

    /** The skeleton with its test output shifted as in the test above, declaring one reproducibility tolerance. */
    private static TestPackages shiftedOutputDeclaring(String tolerance) throws Exception {
        TestPackages p = TestPackages.of("/packages/skeleton-smooth");
        NpyArray out = NpyArray.read(p.file("test_output.npy"));
        float[] shifted = out.data().clone();
        for (int i = 0; i < shifted.length; i += 7) {
            shifted[i] += 0.01f; // refused under the default tolerance
        }
        return p.replaceDeclared("test_output.npy", new NpyArray(out.shape(), shifted).toBytes())
                .editDescription("\nconfig:\n", "\nconfig:\n  bioimageio:\n    reproducibility_tolerance:\n      - " + tolerance + "\n");
    }

    @Test
    void missingWeightsAreNamed() throws Exception {
        var result = VALIDATOR.validate(TestPackages.of("/packages/skeleton-smooth").remove("weights.onnx").zip(tmp.resolve("p.zip")));

        assertThat(result.problems()).singleElement().asString().contains("'weights.onnx'").contains("not in the package");
    }

    @Test
    void weightsThatDoNotLoadAreNamed() throws Exception {
        var result = VALIDATOR.validate(TestPackages.of("/packages/skeleton-smooth")
                .replaceDeclared("weights.onnx", "not a protobuf".getBytes()).zip(tmp.resolve("p.zip")));

        assertThat(result.problems()).singleElement().asString().contains("do not load in ONNX Runtime");
    }

    @Test
    void everyProblemIsListedInOneAnswer() throws Exception {
        TestPackages p = TestPackages.of("/packages/skeleton-smooth");
        byte[] input = p.file("test_input.npy").clone();
        input[input.length - 1] ^= 1;

        var result = VALIDATOR.validate(p.replace("test_input.npy", input)
                .editDescription("license: MIT", "license: 17")
                .editDescription("channel_names: [foreground]", "channel_names: [foreground, background]")
                .zip(tmp.resolve("p.zip")));

        List<String> problems = result.problems();
        assertThat(problems).anySatisfy(m -> assertThat(m).contains("test_input.npy").contains("sha256"));
        assertThat(problems).anySatisfy(m -> assertThat(m).startsWith("schema:").contains("license"));
        assertThat(problems).anySatisfy(m -> assertThat(m).contains("test output has 1 channels but the description declares 2"));
        assertThat(problems).anySatisfy(m -> assertThat(m).contains("ONNX output 'prob' has 1 channels"));
    }

    @Test
    void unsafeZipsAreRejectedBeforeAnythingIsRead() throws Exception {
        var traversal = VALIDATOR.validate(TestPackages.of("/packages/skeleton-smooth").add("../escape.txt", new byte[1]).zip(tmp.resolve("t.zip")));
        assertThat(traversal.problems()).singleElement().asString().contains("path traversal");

        var bomb = VALIDATOR.validate(TestPackages.of("/packages/skeleton-smooth").zipWithBomb(tmp.resolve("b.zip")));
        assertThat(bomb.problems()).singleElement().asString().contains("zip bomb");
    }
}
