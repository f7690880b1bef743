package org.zooscope.core.modelpkg.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.zooscope.core.process.Processing;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.NpyArray;

/** The upload's preview run cuts, feeds and stitches as a preview does, so its result is the model's own. */
class PreviewTestRunTest {

    private static ModelDescription model(String y, String x) throws Exception {
        String yaml = """
                format_version: 0.5.4
                type: model
                id: box
                name: Box
                inputs:
                  - id: input
                    axes: [{type: batch}, {type: channel, channel_names: [raw]}, {type: space, id: y, size: %s}, {type: space, id: x, size: %s}]
                    test_tensor: {source: in.npy}
                outputs:
                  - id: prob
                    axes: [{type: batch}, {type: channel, channel_names: [fg]}, {type: space, id: y, size: {tensor_id: input, axis_id: y}}, {type: space, id: x, size: {tensor_id: input, axis_id: x}}]
                    test_tensor: {source: out.npy}
                weights:
                  onnx: {source: weights.onnx}
                """.formatted(y, x);
        return ModelDescriptionParser.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** A 3 x 3 box filter with zero padding (as an ONNX Conv pads) that records the shapes it is fed. */
    private static class BoxFilter implements ModelRunner.Session {
        final List<String> fed = new ArrayList<>();

        @Override
        public List<ModelRunner.TensorInfo> inputs() {
            return List.of();
        }

        @Override
        public List<ModelRunner.TensorInfo> outputs() {
            return List.of();
        }

        @Override
        public NpyArray run(NpyArray in) {
            int h = (int) in.shape()[2];
            int w = (int) in.shape()[3];
            fed.add(h + "x" + w);
            float[] out = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            sum += yy >= 0 && yy < h && xx >= 0 && xx < w ? in.data()[yy * w + xx] : 0;
                        }
                    }
                    out[y * w + x] = (float) (sum / 9);
                }
            }
            return new NpyArray(new long[] {1, 1, h, w}, out);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theStitchedPreviewEqualsTheWholeRunAwayFromTheBorderAndOnlyDeclaredShapesAreFed() throws Exception {
        ModelDescription d = model("{min: 64, step: 48}", "{min: 80, step: 32}");
        int h = 700;
        int w = 600;
        float[] pixels = new float[h * w];
        Random random = new Random(15);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        NpyArray input = new NpyArray(new long[] {1, 1, h, w}, pixels);
        BoxFilter model = new BoxFilter();
        List<String> problems = new ArrayList<>();

        NpyArray stitched = PreviewTestRun.run(d, Processing.of(), model, input, problems);
        NpyArray whole = new BoxFilter().run(input);

        assertThat(problems).isEmpty();
        // 2 x 2 tiles of 350 x 300 px with a 16 px halo: 382 -> 400 on y, 332 -> 336 on x; then the smallest input
        assertThat(model.fed).containsExactly("400x336", "400x336", "400x336", "400x336", "64x80");
        double worst = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                worst = Math.max(worst, Math.abs(stitched.data()[y * w + x] - whole.data()[y * w + x]));
            }
        }
        assertThat(worst).isLessThan(1e-6);
    }

    @Test
    void aFixed512ModelIsFedOnly512PxTilesOfAnImageLargerThanThat() throws Exception {
        ModelDescription d = model("512", "512");
        BoxFilter onlyFullSlices = new BoxFilter() {
            @Override
            public NpyArray run(NpyArray in) {
                if (in.shape()[2] != 512 || in.shape()[3] != 512) {
                    throw new IllegalStateException("fed " + in.shape()[2] + "x" + in.shape()[3]);
                }
                return super.run(in);
            }
        };
        List<String> problems = new ArrayList<>();

        NpyArray stitched = PreviewTestRun.run(d, Processing.of(), onlyFullSlices, new NpyArray(new long[] {1, 1, 700, 700},
                new float[700 * 700]), problems);

        assertThat(problems).isEmpty();
        assertThat(onlyFullSlices.fed).hasSize(4 + 1).containsOnly("512x512");
        assertThat(stitched.shape()).containsExactly(1, 1, 700, 700);
    }
}
