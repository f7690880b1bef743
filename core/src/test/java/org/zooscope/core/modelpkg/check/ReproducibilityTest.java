package org.zooscope.core.modelpkg.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.NpyArray;

class ReproducibilityTest {
    private static final int N = 20_000;

    @Test
    void allowsDifferencesWithinRtolAndAtol() {
        float[] e = new float[N];
        float[] a = new float[N];
        Arrays.fill(e, 1f);
        Arrays.fill(a, 1f + 1.9e-3f);
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).isNull();
    }

    @Test
    void allowsAtMostOneHundredMismatchesPerMillion() {
        float[] e = new float[N];
        float[] a = new float[N];
        a[0] = 1;
        a[1] = 1;
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).as("2 of 20000 = 100 ppm").isNull();
        a[2] = 1;
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).contains("3 of 20000 elements");
    }

    @Test
    void nanIsAMismatch() {
        float[] e = new float[N];
        float[] a = new float[N];
        Arrays.fill(a, 0, 3, Float.NaN);
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).contains("3 of 20000");
    }

    @Test
    void aDifferentShapeIsReported() {
        assertThat(Reproducibility.BIOIMAGEIO.compare(new NpyArray(new long[] {1, 1, 2, 2}, new float[4]),
                new NpyArray(new long[] {1, 2, 2, 1}, new float[4]))).contains("shape [1, 2, 2, 1]").contains("[1, 1, 2, 2]");
    }

    @Test
    void aPackageDeclaresItsOwnToleranceForItsOnnxOutput() throws Exception {
        List<String> problems = new ArrayList<>();
        // the first entry is for another output, the second for other weights: the third applies, unset fields default
        Reproducibility r = Reproducibility.of(describedWith("""
                      - {output_ids: [other], relative_tolerance: 0.005}
                      - {weights_formats: [torchscript], absolute_tolerance: 0.5}
                      - {output_ids: [prob], weights_formats: [onnx], absolute_tolerance: 0.01}
                """), Reproducibility.BIOIMAGEIO, problems);
        assertThat(problems).isEmpty();
        assertThat(r).isEqualTo(new Reproducibility(1e-3, 0.01, 100));

        float[] e = new float[N];
        float[] a = new float[N];
        Arrays.fill(a, 0.009f);
        assertThat(r.compare(array(e), array(a))).as("within the declared atol").isNull();
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).as("beyond the default").contains("20000 of 20000");
    }

    @Test
    void withoutADeclarationTheDefaultApplies() throws Exception {
        List<String> problems = new ArrayList<>();
        assertThat(Reproducibility.of(describedWith("      - {output_ids: [other], absolute_tolerance: 0.5}\n"),
                Reproducibility.BIOIMAGEIO, problems)).isSameAs(Reproducibility.BIOIMAGEIO);
        assertThat(problems).isEmpty();
    }

    @Test
    void aToleranceBeyondTheSpecsBoundsIsAProblem() throws Exception {
        List<String> problems = new ArrayList<>();
        Reproducibility r = Reproducibility.of(describedWith(
                "      - {relative_tolerance: 0.5, mismatched_elements_per_million: 5000}\n"), Reproducibility.BIOIMAGEIO, problems);
        assertThat(r).isSameAs(Reproducibility.BIOIMAGEIO);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("relative_tolerance 0.5").contains("0..0.01");
        assertThat(problems.get(1)).contains("mismatched_elements_per_million 5000").contains("0..1000");
    }

    /** The fixed-512 fixture's description with {@code entries} as its reproducibility_tolerance list. */
    private static ModelDescription describedWith(String entries) throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/packages/fixed-512/bioimageio.yaml"));
        assertThat(yaml).contains("\nconfig:\n");
        yaml = yaml.replace("\nconfig:\n", "\nconfig:\n  bioimageio:\n    reproducibility_tolerance:\n" + entries);
        return ModelDescriptionParser.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static NpyArray array(float[] d) {
        return new NpyArray(new long[] {1, 1, 100, d.length / 100}, d);
    }
}
