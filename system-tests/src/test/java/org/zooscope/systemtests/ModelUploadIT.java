package org.zooscope.systemtests;

import org.zooscope.core.testing.TestPackages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.store.S3ObjectStore;

/**
 * Contributing a model over HTTP against the whole stack: a valid package is stored, private to its uploader and
 * searchable within seconds; a curator publishes it and it gets a landing page with a download; broken packages are
 * answered 422 with every reason and leave nothing stored; a model from the bioimage.io ecosystem (a stand-in written
 * here, since the real zoo is unreachable) passes unchanged and runs in a preview.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelUploadIT {
    private static final String UPLOADED = "uploaded-smooth";
    private static RunningStack stack;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startStack() {
        stack = RunningStack.get();
    }

    @Test
    @Order(1)
    void aValidPackageIsStoredPrivateAndSearchableWithinSeconds() throws Exception {
        Path zip = TestPackages.of("/models/skeleton-smooth").editDescription("id: skeleton-smooth", "id: " + UPLOADED)
                .zip(tmp.resolve("valid.zip"));

        Http.Response created = Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.TOKEN, "package", zip);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("id").asText()).isEqualTo(UPLOADED);
        assertThat(created.json().get("published").asBoolean()).isFalse();
        assertThat(created.json().get("identifier").asText()).isEqualTo("zooscope:model/" + UPLOADED + "/1");
        long uploadedAt = System.nanoTime();
        // "within seconds": generous for a loaded 2-core CI machine; a quiet one takes about one second
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(ids(Http.get(stack.gateway() + "/api/v1/models?q=smooth", RunningStack.TOKEN))).contains(UPLOADED));
        System.out.printf("uploaded model searchable after %.1f s%n", (System.nanoTime() - uploadedAt) / 1e9);

        // private: others see nothing of it, not even that it exists
        assertThat(ids(Http.get(stack.gateway() + "/api/v1/models?q=smooth", RunningStack.OTHER_TOKEN))).doesNotContain(UPLOADED);
        assertThat(ids(Http.get(stack.gateway() + "/api/v1/models?q=smooth", null))).doesNotContain(UPLOADED);
        assertThat(Http.get(stack.gateway() + "/api/v1/models/" + UPLOADED, null).status()).isEqualTo(404);
        assertThat(Http.get(stack.gateway() + "/api/v1/models/" + UPLOADED, RunningStack.TOKEN).status()).isEqualTo(200);
        try (S3ObjectStore s3 = S3ObjectStore.connect(stack.settings.s3())) {
            assertThat(s3.list("models/" + UPLOADED + "/1/")).extracting(k -> k.substring(k.lastIndexOf('/') + 1))
                    .contains("bioimageio.yaml", "weights.onnx", "test_input.npy", "test_output.npy");
        }

        // versions are immutable: the same version again is a conflict, and another owner cannot take the id
        assertThat(Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.TOKEN, "package", zip).status()).isEqualTo(409);
        Path v2 = TestPackages.of("/models/skeleton-smooth").editDescription("id: skeleton-smooth", "id: " + UPLOADED)
                .editDescription("version: \"1\"", "version: \"2\"").zip(tmp.resolve("v2.zip"));
        assertThat(Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.OTHER_TOKEN, "package", v2).status()).isEqualTo(409);
    }

    @Test
    @Order(2)
    void aCuratorPublishesAndTheModelGetsALandingPageAndADownload() throws Exception {
        String publish = stack.gateway() + "/api/v1/models/" + UPLOADED + "/publish";
        assertThat(Http.postJson(publish, RunningStack.TOKEN, "{}").status()).isEqualTo(403);

        Http.Response published = Http.postJson(publish, RunningStack.CURATOR_TOKEN, "{}");

        assertThat(published.status()).as(published.text()).isEqualTo(200);
        assertThat(published.json().get("landingPage").asText()).isEqualTo(stack.gateway() + "/models/" + UPLOADED);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ids(Http.get(stack.gateway() + "/api/v1/models?q=smooth", null))).contains(UPLOADED));
        Http.Response page = Http.get(stack.gateway() + "/models/" + UPLOADED, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.text()).contains("zooscope:model/" + UPLOADED + "/1").contains("/api/v1/models/" + UPLOADED + "/package.zip")
                .contains("examples/input.png");
        Http.Response png = Http.get(stack.gateway() + "/api/v1/models/" + UPLOADED + "/examples/output.png", null);
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.contentType()).isEqualTo("image/png");
        Http.Response download = Http.get(stack.gateway() + "/api/v1/models/" + UPLOADED + "/package.zip", null);
        assertThat(download.status()).isEqualTo(200);
        assertThat(zipNames(download.body())).contains("bioimageio.yaml", "weights.onnx", "datacite.json");
        try (S3ObjectStore s3 = S3ObjectStore.connect(stack.settings.s3())) {
            JsonNode datacite = org.zooscope.core.events.EventJson.mapper().readTree(s3.get("models/" + UPLOADED + "/1/datacite.json"));
            assertThat(datacite.path("data").path("attributes").path("titles").get(0).path("title").asText())
                    .isEqualTo("Skeleton smooth (test model)");
            assertThat(datacite.path("data").path("attributes").has("doi")).as("no DataCite account configured: no DOI").isFalse();
        }
    }

    @Test
    @Order(3)
    void brokenPackagesAreRejectedWithEveryReasonAndLeaveNothingStored() throws Exception {
        TestPackages base = TestPackages.of("/models/skeleton-smooth");
        byte[] weights = base.file("weights.onnx").clone();
        weights[weights.length - 1] ^= 1;
        NpyArray out = NpyArray.read(base.file("test_output.npy"));
        float[] shifted = out.data().clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 0.05f;
        }
        List<Broken> cases = List.of(
                new Broken("bad-hash", broken("bad-hash").replace("weights.onnx", weights).zip(tmp.resolve("1.zip")),
                        "'weights.onnx' (weights.onnx.source) has sha256"),
                new Broken("wrong-shape", broken("wrong-shape").replaceDeclared("test_output.npy",
                        new NpyArray(new long[] {1, 1, 32, 32}, new float[1024]).toBytes()).zip(tmp.resolve("2.zip")),
                        "test output shape [1, 1, 32, 32] does not match the test input [1, 1, 64, 64]"),
                new Broken("failing-run", broken("failing-run").replaceDeclared("test_output.npy",
                        new NpyArray(out.shape(), shifted).toBytes()).zip(tmp.resolve("3.zip")),
                        "does not reproduce test_output: 4096 of 4096 elements"),
                new Broken("traversal", broken("traversal").add("../../escape.sh", new byte[] {1}).zip(tmp.resolve("4.zip")),
                        "zip entry '../../escape.sh' is rejected: path traversal"),
                new Broken("zip-bomb", broken("zip-bomb").zipWithBomb(tmp.resolve("5.zip")), "a zip bomb"),
                new Broken("missing-weights", broken("missing-weights").remove("weights.onnx").zip(tmp.resolve("6.zip")),
                        "file 'weights.onnx' named by weights.onnx.source is not in the package"));
        try (S3ObjectStore s3 = S3ObjectStore.connect(stack.settings.s3())) {
            for (Broken b : cases) {
                Http.Response r = Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.TOKEN, "package", b.zip());

                assertThat(r.status()).as(b.id() + ": " + r.text()).isEqualTo(422);
                assertThat(r.contentType()).startsWith("application/problem+json");
                List<String> problems = new ArrayList<>();
                r.json().get("problems").forEach(p -> problems.add(p.asText()));
                assertThat(problems).as(b.id()).anySatisfy(p -> assertThat(p).contains(b.reason()));
                assertThat(r.json().get("detail").asText()).contains(b.reason());
                assertThat(s3.list("models/broken-" + b.id() + "/")).as(b.id() + " left nothing in S3").isEmpty();
            }
            // several problems at once are all in the one answer
            Http.Response many = Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.TOKEN, "package",
                    broken("many").replace("weights.onnx", weights).editDescription("license: MIT", "license: 17")
                            .remove("test_input.npy").zip(tmp.resolve("7.zip")));
            assertThat(many.status()).isEqualTo(422);
            assertThat(many.json().get("problems")).hasSizeGreaterThanOrEqualTo(3);
            assertThat(many.text()).contains("sha256").contains("license").contains("'test_input.npy'");
            assertThat(s3.list("models/broken-many/")).isEmpty();
        }
        assertThat(Http.get(stack.settings.openSearchUrl() + "/zooscope-models/_doc/broken-bad-hash", null).status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void anEcosystemModelPassesUnchangedAndRunsInAPreview() throws Exception {
        Path zip = TestPackages.of("/packages/ecosystem-standin").zip(tmp.resolve("ecosystem.zip"));

        Http.Response created = Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.TOKEN, "package", zip);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(id).isEqualTo("unet-lite-mitochondria-em-ecosystem-stand-in");
        assertThat(created.json().get("modality").asText()).as("from bioimage.io's tags").isEqualTo("electron microscopy");
        assertThat(created.json().get("component").asText()).isEqualTo("mitochondria");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/" + id, RunningStack.TOKEN).status()).isEqualTo(200));

        Path image = Path.of(ModelUploadIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI());
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN, image);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        Http.Response job = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"uploadId\":\"" + up.json().get("id").asText() + "\"},\"models\":[\"" + id
                        + "\"],\"enhance\":false,\"augmentation\":\"none\"}");
        assertThat(job.status()).as(job.text()).isEqualTo(202);
        String jobId = job.json().get("id").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.get(stack.gateway() + "/api/v1/jobs/" + jobId, RunningStack.TOKEN).json(),
                        j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asText()));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        Http.Response tif = Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "/results/probabilities.tif", RunningStack.TOKEN);
        assertThat(tif.status()).isEqualTo(200);
    }

    /**
     * One fixture package per way a model declares its input size, end to end: upload (validated, test run included),
     * preview, and the probabilities equal the ONNX model run directly -- on the whole image where the model takes one
     * that large (fixed 512 on the 512 px sample; min + n*step padded up to the next accepted size), else on fixed
     * windows of the model's own size (fixed 256 on a 300 x 220 crop). Fixed sizes are cut into several tiles. A model
     * whose output is at half the input's resolution is run on the whole image and its output upsampled by the rule
     * the service states (bilinear, pixel centres aligned); a 3D model on the whole volume, mirrored in z by its
     * block's half (as the service extends a volume), one slice of its output per input slice.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"fixed-512, sample-512, 512, 512", "min-step, mirrored-700, 736, 720", "fixed-256-v04, crop-300x220, 256, 256",
        "channel-last, crop-300x220, 224, 304", "two-output, crop-300x220, 224, 304",
        "half-res-output, mirrored-702, 704, 704", "3d, crop-300x220, 224, 304"})
    @Order(5)
    void aModelDeclaringItsInputSizesPreviewsAsItsGraphComputes(String fixture, String image, int winH, int winW) throws Exception {
        TestPackages pkg = TestPackages.of("/packages/" + fixture);
        Http.Response created = Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.TOKEN, "package",
                pkg.zip(tmp.resolve(fixture + ".zip")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/" + id, RunningStack.TOKEN).status()).isEqualTo(200));

        Path input = switch (image) {
            case "sample-512" -> TestStacks.root().resolve("samples/sbem-mito-512x512x5.tif");
            case "mirrored-700" -> TestStacks.mirroredSample(tmp, 700);
            // two columns of 351 px: the service moves the seam to 350, where the 2x2 pooling's pairs start
            case "mirrored-702" -> TestStacks.mirroredSample(tmp, 702);
            default -> Path.of(ModelUploadIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI());
        };
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN, input);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        Http.Response job = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"uploadId\":\"" + up.json().get("id").asText() + "\"},\"models\":[\"" + id
                        + "\"],\"enhance\":false,\"augmentation\":\"none\"}");
        assertThat(job.status()).as(job.text()).isEqualTo(202);
        String jobId = job.json().get("id").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.get(stack.gateway() + "/api/v1/jobs/" + jobId, RunningStack.TOKEN).json(),
                        j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asText()));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");

        Volume source = VolumeReader.read(input, ReadLimits.defaults());
        Volume probs = TestStacks.readTiff(Http.get(stack.gateway() + "/api/v1/jobs/" + jobId
                + "/results/probabilities.tif", RunningStack.TOKEN).body(), tmp, fixture + ".tif");
        assertThat(new int[] {probs.width(), probs.height(), probs.depth()})
                .containsExactly(source.width(), source.height(), source.depth());
        byte[] onnx = pkg.file("weights.onnx");
        float[][] expected = switch (fixture) {
            case "half-res-output" -> TestStacks.runHalfResolution(source, onnx, winH, winW);
            // the z block the service picks: 3 (z: 3 + n*2, z halo 1), so 1 plane of mirrored context at each end
            case "3d" -> TestStacks.runVolume(source, onnx, winH, winW, 1);
            // a [background, foreground] model previews its foreground
            default -> TestStacks.runInWindows(source, onnx, winH, winW, fixture.equals("channel-last"),
                    fixture.equals("two-output") ? 1 : 0);
        };
        // the references pad the image's edges with zeros, the service mirrors them: a 3x3 model differs 1 px in; in
        // the half-resolution model the edge shows in the half grid's outermost output px (its 3x3 convolution reads
        // the padding), which the interpolation spreads to the 3 input px nearest the edge, so it is compared 3 px in
        int margin = fixture.equals("half-res-output") ? 3 : 1;
        assertThat(TestStacks.maxInteriorDifference(probs, expected, margin)).as("max |preview - direct ONNX Runtime|")
                .isLessThan(1e-5);
    }

    /** A model taking two channels of one image validates, and a preview of a one-channel image says which it lacks. */
    @Test
    @Order(6)
    void aTwoChannelModelIsRefusedForAOneChannelImageNamingItsChannels() throws Exception {
        Http.Response created = Http.uploadAs(stack.gateway() + "/api/v1/models", RunningStack.TOKEN, "package",
                TestPackages.of("/packages/two-channel").zip(tmp.resolve("two-channel.zip")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/two-channel", RunningStack.TOKEN).status()).isEqualTo(200));
        Path image = Path.of(ModelUploadIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI());
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN, image);
        assertThat(up.status()).as(up.text()).isEqualTo(201);

        Http.Response job = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"uploadId\":\"" + up.json().get("id").asText()
                        + "\"},\"models\":[\"two-channel\"],\"enhance\":false,\"augmentation\":\"none\"}");

        assertThat(job.status()).as(job.text()).isEqualTo(202);
        String jobId = job.json().get("id").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.get(stack.gateway() + "/api/v1/jobs/" + jobId, RunningStack.TOKEN).json(),
                        j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asText()));
        assertThat(done.get("state").asText()).isEqualTo("FAILED");
        assertThat(done.get("error").asText()).isEqualTo("model 'two-channel' cannot run on this image: it takes 2 input "
                + "channels (nuclei, membranes) but the image has 1 channel");
    }

    private record Broken(String id, Path zip, String reason) {
    }

    private static TestPackages broken(String id) throws java.io.IOException {
        return TestPackages.of("/models/skeleton-smooth").editDescription("id: skeleton-smooth", "id: broken-" + id);
    }

    private static List<String> ids(Http.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private static List<String> zipNames(byte[] zip) throws java.io.IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
