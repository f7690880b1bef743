package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetLayer;
import org.zooscope.core.dataset.DatasetWriter;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.OmeZarr;
import org.zooscope.infra.stack.ServiceProcess;

/**
 * A hosted dataset of real SBEM (the bundled 512 × 512 × 5 sample mirrored to 1024 × 1024 × 5), the zoo's real
 * mitochondria model: a full run whose job-stream is SIGKILLed in the middle still succeeds, infers every tile exactly
 * once and leaves a readable OME-Zarr layer; and a region preview inside the volume gives what the full run gives there
 * (its tiles read their halo from the dataset around the region, its normalisation the dataset's).
 */
class DatasetRunIT {
    private static final String DATASET = "it-sbem-mirrored";
    private static final String MODEL = "mito-sbem-2d";
    private static final int SIZE = 1024;
    private static RunningStack stack;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void datasetAndModel(@TempDir Path tmp) throws Exception {
        stack = RunningStack.get();
        Path zoo = tmp.resolve("zoo");
        copyTree(TestStacks.root().resolve("zoo").resolve(MODEL), zoo.resolve(MODEL));
        stack.stack.seedModels(zoo);
        Volume source = VolumeReader.read(TestStacks.mirroredSample(tmp, SIZE), ReadLimits.defaults());
        try (S3ObjectStore store = S3ObjectStore.connect(stack.settings.s3())) {
            if (store.size(DatasetKeys.card(DATASET)).isEmpty()) {
                new DatasetWriter(store).write(new DatasetCard(DATASET, "IT SBEM", "the bundled SBEM sample mirrored",
                        "SBEM", "mouse", 0, 0, 0, null, null, 0, "research", "Haberl et al. 2018", "test", null, null),
                        slices(source), n -> { });
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/" + MODEL, null).status()).isEqualTo(200));
    }

    @Test
    void aFullRunSurvivesAJobStreamKillWithoutRedoingTilesAndARegionPreviewAgreesWithIt(@TempDir Path tmp)
            throws Exception {
        // a full run, its job-stream killed while tiles are being inferred
        String full = submit("{\"datasetId\":\"" + DATASET + "\"}");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(full), j -> j.get("stage").asText().equals("inference") || isFinal(j));
        ServiceProcess jobStream = stack.services.stream().filter(s -> s.name().equals("job-stream")).findFirst()
                .orElseThrow();
        ProcessHandle running = jobStream.process().handle().orElseThrow();
        running.destroyForcibly();
        running.onExit().get();
        stack.stack.startServices(List.of(jobStream), Duration.ofSeconds(120));
        JsonNode done = awaitFinal(full, Duration.ofSeconds(300));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");

        // every tile inferred exactly once: the restart redid none
        Map<String, Integer> inferred = inferredTiles(full, done);
        assertThat(inferred).isNotEmpty();
        assertThat(inferred.values()).as("inferences per tile " + inferred).allMatch(n -> n == 1);

        // the layer is listed only complete, and its OME-Zarr reads back at the dataset's shape
        float[][] layer;
        try (S3ObjectStore store = S3ObjectStore.connect(stack.settings.s3())) {
            DatasetLayer record = EventJson.fromBytes(store.get(DatasetKeys.layerRecord(DATASET, full)), DatasetLayer.class);
            FloatVolume v = OmeZarr.readImage(source(store, record.images().get("mitochondria") + "/"), "", 0, 64L << 20);
            assertThat(v.width()).isEqualTo(SIZE);
            assertThat(v.depth()).isEqualTo(5);
            assertThat(OmeZarr.levels(source(store, record.images().get("mitochondria") + "/"), "")).isGreaterThan(1);
            layer = new float[5][];
            for (int z = 0; z < 5; z++) {
                layer[z] = v.plane(z);
            }
        }

        // and it is served as any result's OME-Zarr, for napari or zarr-python over HTTP
        Http.Response zarray = Http.get(stack.gateway() + "/api/v1/jobs/" + full
                + "/results/probabilities.ome.zarr/mitochondria/0/.zarray", RunningStack.TOKEN);
        assertThat(zarray.status()).as(zarray.text()).isEqualTo(200);
        assertThat(zarray.json().get("shape").toString()).isEqualTo("[5," + SIZE + "," + SIZE + "]");

        // and shown over the dataset: listed with the dataset's card, its tiles the probabilities as alpha
        JsonNode card = Http.get(stack.gateway() + "/api/v1/datasets/" + DATASET, null).json();
        assertThat(card.get("layers").findValuesAsText("jobId")).contains(full);
        Http.Response tile = Http.get(stack.gateway() + "/api/v1/datasets/" + DATASET + "/layers/" + full
                + "/mitochondria/tiles/2/0/0_0.png", null);
        assertThat(tile.status()).as(tile.text()).isEqualTo(200);
        java.awt.image.BufferedImage rgba = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(tile.body()));
        for (int y = 0; y < rgba.getHeight(); y += 7) {
            for (int x = 0; x < rgba.getWidth(); x += 7) {
                float p = layer[2][y * SIZE + x];
                assertThat(rgba.getRGB(x, y) >>> 24).as("alpha at %d, %d", x, y).isEqualTo(p < 0.1f ? 0 : Math.round(p * 255));
            }
        }

        // a region preview inside the volume: its pixels are the full run's there
        int rx = 300;
        int ry = 220;
        int rz = 1;
        int rw = 400;
        int rh = 360;
        String region = submit("{\"datasetId\":\"" + DATASET + "\",\"roi\":{\"x\":" + rx + ",\"y\":" + ry + ",\"z\":" + rz
                + ",\"width\":" + rw + ",\"height\":" + rh + ",\"depth\":3}}");
        JsonNode regionDone = awaitFinal(region, Duration.ofSeconds(180));
        assertThat(regionDone.get("state").asText()).as(regionDone.toString()).isEqualTo("SUCCEEDED");
        Http.Response tif = Http.get(stack.gateway() + "/api/v1/jobs/" + region + "/results/probabilities.tif",
                RunningStack.TOKEN);
        assertThat(tif.status()).isEqualTo(200);
        Volume preview = TestStacks.readTiff(tif.body(), tmp, "region.tif");
        assertThat(preview.width()).isEqualTo(rw);
        assertThat(preview.depth()).isEqualTo(3);
        double absDiff = 0;
        long both = 0;
        long either = 0;
        float[] p = new float[rw * rh];
        for (int z = 0; z < 3; z++) {
            preview.copyPlane(z, p);
            for (int y = 0; y < rh; y++) {
                for (int x = 0; x < rw; x++) {
                    float a = p[y * rw + x];
                    float b = layer[rz + z][(ry + y) * SIZE + rx + x];
                    absDiff += Math.abs(a - b);
                    both += a >= 0.5 && b >= 0.5 ? 1 : 0;
                    either += a >= 0.5 || b >= 0.5 ? 1 : 0;
                }
            }
        }
        double mad = absDiff / (3.0 * rw * rh);
        double iou = either == 0 ? 1 : (double) both / either;
        System.out.printf("region preview vs full run: mean |difference| %.5f, mask IoU %.4f (%d foreground voxels)%n",
                mad, iou, either);
        assertThat(either).as("the region holds mitochondria").isGreaterThan(1000);
        assertThat(mad).as("mean absolute difference").isLessThanOrEqualTo(0.01);
        assertThat(iou).as("thresholded masks IoU").isGreaterThanOrEqualTo(0.98);

        // the viewer shows the region's input from the dataset
        Http.Response slice = Http.get(stack.gateway() + "/api/v1/jobs/" + region + "/slices/0.png?layer=overlay",
                RunningStack.TOKEN);
        assertThat(slice.status()).as(slice.text()).isEqualTo(200);
    }

    @Test
    void badRegionsAreRefusedWithWhatIsWrong() {
        Http.Response outside = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"datasetId\":\"" + DATASET + "\",\"roi\":{\"x\":900,\"y\":0,\"z\":0,\"width\":200,"
                        + "\"height\":100,\"depth\":1}},\"models\":[\"" + MODEL + "\"]}");
        assertThat(outside.status()).isEqualTo(422);
        assertThat(outside.text()).contains("outside the volume");
        Http.Response empty = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"datasetId\":\"" + DATASET + "\",\"roi\":{\"x\":0,\"y\":0,\"z\":0,\"width\":0,"
                        + "\"height\":100,\"depth\":1}},\"models\":[\"" + MODEL + "\"]}");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.text()).contains("empty");
        Http.Response unknown = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"datasetId\":\"no-such-dataset\",\"roi\":{\"x\":0,\"y\":0,\"z\":0,\"width\":10,"
                        + "\"height\":10,\"depth\":1}},\"models\":[\"" + MODEL + "\"]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("no-such-dataset");
        Http.Response partial = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"datasetId\":\"" + DATASET + "\",\"roi\":{\"x\":0,\"y\":0,\"width\":10}},\"models\":[\""
                        + MODEL + "\"]}");
        assertThat(partial.status()).isEqualTo(400);
        assertThat(partial.text()).contains("roi.z");
    }

    /** (model, z, tile) → how many times a worker inferred it (a tile reported from its stored output is not counted). */
    private static Map<String, Integer> inferredTiles(String jobId, JsonNode done) {
        Map<String, Integer> inferred = new java.util.HashMap<>();
        TileReports.of(stack.settings.kafkaBootstrap(), jobId, Duration.ofSeconds(15)).forEach((tile, n) -> {
            if (n[0] > 0) {
                inferred.put(tile, n[0]);
            }
        });
        return inferred;
    }

    private static String submit(String input) {
        Http.Response r = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":" + input + ",\"models\":[\"" + MODEL + "\"],\"enhance\":false}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    private static JsonNode job(String id) {
        return Http.get(stack.gateway() + "/api/v1/jobs/" + id, RunningStack.TOKEN).json();
    }

    private static boolean isFinal(JsonNode j) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asText());
    }

    private static JsonNode awaitFinal(String id, Duration max) {
        return await().atMost(max).pollInterval(Duration.ofMillis(250)).until(() -> job(id), DatasetRunIT::isFinal);
    }

    private static org.zooscope.core.zarr.ObjectSource source(ObjectStore store, String prefix) {
        return key -> {
            try {
                return Optional.of(store.get(prefix + key));
            } catch (ObjectStore.NoSuchObjectException e) {
                return Optional.empty();
            }
        };
    }

    private static DatasetWriter.Slices slices(Volume v) {
        return new DatasetWriter.Slices() {
            public int width() {
                return v.width();
            }

            public int height() {
                return v.height();
            }

            public int depth() {
                return v.depth();
            }

            public DataType dataType() {
                return DataType.UINT8;
            }

            public VoxelSize voxelSize() {
                return new VoxelSize(5.9, 5.9, 40, "nm");
            }

            public double min() {
                return 0;
            }

            public double max() {
                return 255;
            }

            public float[] slice(int z) {
                float[] s = new float[v.width() * v.height()];
                v.copyPlane(z, s);
                return s;
            }
        };
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
