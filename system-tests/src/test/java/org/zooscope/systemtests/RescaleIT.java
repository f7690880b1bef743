package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.rescale.Resampler;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * An image whose file states a pixel size twice as coarse as the one its model was trained at: the model runs on the
 * image resampled ×2, its map comes back on the image's own grid, and the job's notes say so; switched off, the model
 * runs on the image as it is. The model is the walking skeleton's, declared (axes {@code scale}, {@code unit}) at 5 nm.
 */
class RescaleIT {
    private static final String MODEL = "skeleton-smooth-5nm";
    private static RunningStack stack;
    private static Path onnx;

    @BeforeAll
    static void seedAModelTrainedAt5nm(@TempDir Path zoo) throws Exception {
        stack = RunningStack.get();
        Path skeleton = Path.of(RescaleIT.class.getResource("/models/skeleton-smooth").toURI());
        Path dir = Files.createDirectories(zoo.resolve(MODEL));
        try (var files = Files.list(skeleton)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        String yaml = Files.readString(dir.resolve("bioimageio.yaml")).replace("id: skeleton-smooth", "id: " + MODEL)
                .replace("        id: y\n        size: {min: 8, step: 1}",
                        "        id: y\n        size: {min: 8, step: 1}\n        unit: nanometer\n        scale: 5")
                .replace("        id: x\n        size: {min: 8, step: 1}",
                        "        id: x\n        size: {min: 8, step: 1}\n        unit: nanometer\n        scale: 5");
        assertThat(yaml).contains("scale: 5");
        Files.writeString(dir.resolve("bioimageio.yaml"), yaml);
        onnx = dir.resolve("weights.onnx");
        stack.stack.seedModels(zoo);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/" + MODEL, null).status()).isEqualTo(200));
    }

    @Test
    void aCoarserImageIsResampledToTheModelsPixelSizeAndTheResultIsOnTheImagesGrid(@TempDir Path tmp) throws Exception {
        // given the walking skeleton's 300 x 220 x 3 stack saved with a stated 10 nm pixel size
        Volume source = VolumeReader.read(Path.of(RescaleIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI()),
                ReadLimits.defaults());
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < source.depth(); z++) {
            float[] p = new float[300 * 220];
            source.copyPlane(z, p);
            planes.add(p);
        }
        Path input = tmp.resolve("at-10nm.tif");
        try (OutputStream out = Files.newOutputStream(input)) {
            TiffWriter.writeFloat32(new FloatVolume(300, 220, planes, DataType.FLOAT32, new VoxelSize(10, 10, 40, "nm")),
                    out);
        }
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN, input);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        String uploadId = up.json().get("id").asText();
        assertThat(up.json().get("voxelSize").get("x").asDouble()).isEqualTo(10.0);

        // when the model runs on it with the default settings, and again with rescaling switched off
        JsonNode rescaled = run(uploadId, "");
        JsonNode asIs = run(uploadId, ",\"rescale\":false");

        // then the job says what it did
        assertThat(rescaled.get("notes").get(0).asText()).isEqualTo("input rescaled ×2.00 (10 nm → 5 nm per pixel,"
                + " 300 x 220 → 600 x 440) to match " + MODEL + "; results are on the input's grid");
        assertThat(asIs.get("notes").get(0).asText()).contains("switched off").contains("10 nm");

        // and its map, on the image's own grid, is the model run on the image resampled ×2 (normalised with the
        // image's own range), resampled back
        Volume probs = probabilities(rescaled, tmp.resolve("rescaled.tif"));
        assertThat(List.of(probs.width(), probs.height(), probs.depth())).containsExactly(300, 220, 3);
        double[] range = TestStacks.range(source);
        List<float[]> doubled = planes.stream().map(p -> Resampler.resample(p, 300, 220, 600, 440)).toList();
        float[][] atModelSize = TestStacks.runDirectly(new FloatVolume(600, 440, doubled, DataType.FLOAT32,
                VoxelSize.unknown()), onnx, range[0], range[1]);
        float[][] expected = new float[3][];
        for (int z = 0; z < 3; z++) {
            expected[z] = Resampler.resample(atModelSize[z], 600, 440, 300, 220);
        }
        assertThat(TestStacks.maxInteriorDifference(probs, expected)).as("max |pipeline - resampled direct run|")
                .isLessThan(1e-4);

        // switched off it is the model on the image as it is, which differs from the rescaled run
        Volume plain = probabilities(asIs, tmp.resolve("as-is.tif"));
        assertThat(TestStacks.maxInteriorDifference(plain, TestStacks.runDirectly(source, onnx))).isLessThan(1e-5);
        assertThat(TestStacks.maxInteriorDifference(plain, expected)).isGreaterThan(1e-2);
    }

    private static JsonNode run(String uploadId, String extra) {
        Http.Response submitted = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"uploadId\":\"" + uploadId + "\"},\"models\":[\"" + MODEL
                        + "\"],\"enhance\":false,\"augmentation\":\"none\"" + extra + "}");
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String jobId = submitted.json().get("id").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> Http.get(stack.gateway() + "/api/v1/jobs/" + jobId, RunningStack.TOKEN).json(),
                        j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asText()));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        return done;
    }

    private static Volume probabilities(JsonNode job, Path to) throws Exception {
        Http.Response tif = Http.get(stack.gateway() + "/api/v1/jobs/" + job.get("id").asText()
                + "/results/probabilities.tif", RunningStack.TOKEN);
        assertThat(tif.status()).isEqualTo(200);
        Files.write(to, tif.body());
        return VolumeReader.read(to, ReadLimits.defaults());
    }
}
