package org.zooscope.core.modelpkg.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
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

    private static NpyArray array(float[] d) {
        return new NpyArray(new long[] {1, 1, 100, d.length / 100}, d);
    }

    private static org.zooscope.core.modelpkg.ModelDescription withConfig(String config) throws Exception {
        String yaml = """
                format_version: 0.5.4
                type: model
                id: tol
                name: Tolerance test
                inputs:
                  - id: raw
                    axes:
                      - type: batch
                      - {type: channel, channel_names: [raw]}
                      - {type: space, id: y, size: {min: 64, step: 16}}
                      - {type: space, id: x, size: {min: 64, step: 16}}
                    test_tensor: {source: test_input.npy}
                outputs:
                  - id: prob
                    axes:
                      - type: batch
                      - {type: channel, channel_names: [fg]}
                      - {type: space, id: y, size: {tensor_id: raw, axis_id: y}}
                      - {type: space, id: x, size: {tensor_id: raw, axis_id: x}}
                    test_tensor: {source: test_output.npy}
                weights:
                  onnx: {source: weights.onnx}
                """ + config;
        return org.zooscope.core.modelpkg.ModelDescriptionParser.parse(
                new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aPackagesOwnToleranceForItsOutputAndOnnxWeightsIsHonoured() throws Exception {
        var d = withConfig("""
                config:
                  bioimageio:
                    reproducibility_tolerance:
                      - {output_ids: [other], relative_tolerance: 0.0, absolute_tolerance: 0.0}
                      - {weights_formats: [pytorch_state_dict], absolute_tolerance: 0.0}
                      - {output_ids: [prob], weights_formats: [onnx], absolute_tolerance: 0.05, mismatched_elements_per_million: 0}
                """);
        Reproducibility r = Reproducibility.BIOIMAGEIO.declaredBy(d);
        assertThat(r).isEqualTo(new Reproducibility(1e-3, 0.05, 0));
        float[] e = new float[N];
        float[] a = new float[N];
        Arrays.fill(a, 0.04f);
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).isNotNull();
        assertThat(r.compare(array(e), array(a))).isNull();
        a[7] = 0.06f;
        assertThat(r.compare(array(e), array(a))).contains("1 of 20000");
    }

    @Test
    void withoutOneTheServicesToleranceAppliesAndABadOneIsNamed() throws Exception {
        assertThat(Reproducibility.BIOIMAGEIO.declaredBy(withConfig("config:\n"))).isSameAs(Reproducibility.BIOIMAGEIO);
        var bad = withConfig("""
                config:
                  bioimageio:
                    reproducibility_tolerance:
                      - {relative_tolerance: 0.5}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reproducibility.BIOIMAGEIO.declaredBy(bad))
                .hasMessageContaining("relative_tolerance must be within 0..0.01 but is 0.5");
    }
}
