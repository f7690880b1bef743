package org.zooscope.jobstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetLayer;
import org.zooscope.core.dataset.DatasetWriter;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.events.Topics;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.OmeZarr;
import org.zooscope.jobstream.config.PlanSettings;

/**
 * Jobs over a hosted dataset on {@link TopologyTestDriver}: a region preview reads the dataset's box around the region
 * and normalises with the dataset's statistics; a full run covers the volume and leaves a layer of the dataset. The test
 * plays the gpu-worker; the dataset is written by the real ingest into an in-memory store standing in for S3.
 */
class DatasetJobTopologyTest {
    private static final int W = 120;
    private static final int H = 100;
    private static final int D = 4;
    private static final String DATASET = "demo";
    private static final String YAML = """
            format_version: 0.5.4
            type: model
            id: m1
            name: M1
            inputs:
              - id: input
                axes:
                  - type: batch
                  - {type: channel, channel_names: [raw]}
                  - {type: space, id: y, size: {min: 8, step: 1}}
                  - {type: space, id: x, size: {min: 8, step: 1}}
                test_tensor: {source: test_input.npy}
                preprocessing:
                  - id: scale_range
                    kwargs: {min_percentile: 0, max_percentile: 100}
            outputs:
              - id: prob
                axes:
                  - type: batch
                  - {type: channel, channel_names: [fg]}
                  - {type: space, id: y, size: {tensor_id: input, axis_id: y}}
                  - {type: space, id: x, size: {tensor_id: input, axis_id: x}}
                test_tensor: {source: test_output.npy}
            weights:
              onnx: {source: weights.onnx}
            config:
              zooscope: {structure: mitochondria}
            """;

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private InMemoryObjectStore store;
    private TestInputTopic<String, byte[]> requests;
    private TestInputTopic<String, byte[]> progress;
    private TestOutputTopic<String, byte[]> statuses;
    private TestOutputTopic<String, byte[]> tiles;

    @BeforeEach
    void setUp() {
        store = new InMemoryObjectStore();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(JobTopology.build(store, (plane, w, h, type) -> plane, new PlanSettings(16, 256)), p);
        StringSerializer ks = new StringSerializer();
        ByteArraySerializer vs = new ByteArraySerializer();
        requests = driver.createInputTopic(Topics.JOBS_REQUESTED.name(), ks, vs);
        progress = driver.createInputTopic(Topics.JOBS_PROGRESS.name(), ks, vs);
        statuses = driver.createOutputTopic(Topics.JOBS_STATUS.name(), new StringDeserializer(), new ByteArrayDeserializer());
        tiles = driver.createOutputTopic(Topics.TILES_TASKS.name(), new StringDeserializer(), new ByteArrayDeserializer());
        store.put("models/m1/1/bioimageio.yaml", YAML.getBytes(StandardCharsets.UTF_8), "text/yaml");
        driver.createInputTopic(Topics.MODELS_REGISTERED.name(), ks, vs).pipeInput("m1",
                EventJson.toBytes(new ModelRegistered("m1", "1", "models/m1/1/", Map.of("id", "m1"), true, Instant.now())));

        // a dataset whose voxel value is x + y (0..218): any region spans less than the whole volume
        new DatasetWriter(store).write(new DatasetCard(DATASET, "Demo", "", "SBEM", "mouse", 0, 0, 0, null, null, 0,
                "CC-BY-4.0", "", "test", null, null), new DatasetWriter.Slices() {
                    public int width() {
                        return W;
                    }

                    public int height() {
                        return H;
                    }

                    public int depth() {
                        return D;
                    }

                    public DataType dataType() {
                        return DataType.UINT8;
                    }

                    public VoxelSize voxelSize() {
                        return new VoxelSize(6, 6, 40, "nm");
                    }

                    public double min() {
                        return 0;
                    }

                    public double max() {
                        return 255;
                    }

                    public float[] slice(int z) {
                        float[] s = new float[W * H];
                        for (int i = 0; i < s.length; i++) {
                            s[i] = i % W + i / W;
                        }
                        return s;
                    }
                }, n -> { });
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void request(String jobId, Region roi) {
        request(jobId, roi, false);
    }

    private void request(String jobId, Region roi, boolean enhance) {
        requests.pipeInput(jobId, EventJson.toBytes(new JobRequested(jobId, "owner", "share",
                new JobInput(null, DATASET, roi), List.of("m1"), new JobSettings(enhance, Augmentation.NONE, 0.5),
                Instant.now())));
    }

    @Test
    void anEnhancedRegionPreviewGivesItsEnhancedInputCutToTheRegion(@TempDir Path tmp) throws Exception {
        Region roi = new Region(40, 30, 1, 20, 20, 2);
        request("e1", roi, true);
        tileTasks().forEach(this::work);
        JobStatus last = lastStatus("e1");
        assertThat(last.state()).as(String.valueOf(last.error())).isEqualTo(JobState.SUCCEEDED);
        Path tif = tmp.resolve("e.tif");
        java.nio.file.Files.write(tif, store.get(last.results().get("enhanced-input.tif")));
        var input = org.zooscope.core.io.VolumeReader.read(tif, org.zooscope.core.io.ReadLimits.defaults());
        assertThat(input.width()).isEqualTo(20);
        assertThat(input.depth()).isEqualTo(2);
        float[] plane = new float[20 * 20];
        input.copyPlane(0, plane);
        // the stand-in enhancer passes voxels through: the region's own voxels (x + y) come back
        assertThat(plane[3 * 20 + 5]).isEqualTo(roi.x() + 5 + roi.y() + 3);
    }

    private List<TileTask> tileTasks() {
        return tiles.readRecordsToList().stream().map(r -> EventJson.fromBytes(r.value(), TileTask.class)).toList();
    }

    private JobStatus lastStatus(String jobId) {
        List<JobStatus> seen = statuses.readRecordsToList().stream().filter(r -> r.key().equals(jobId))
                .map(r -> EventJson.fromBytes(r.value(), JobStatus.class)).toList();
        return seen.get(seen.size() - 1);
    }

    /**
     * Plays the worker: each padded pixel's output is a function of its position in the dataset, so stitching puts
     * every pixel where it belongs only if tiles, offsets and crops agree.
     */
    private void work(TileTask t) {
        TileGrid grid = t.layout().grid(t.planeWidth(), t.planeHeight());
        var tile = grid.tiles().get(t.tileIndex());
        int pw = grid.paddedWidth(tile);
        int ph = grid.paddedHeight(tile);
        int gx = t.window().boxX() + t.gridOffsetX() + tile.x() - grid.halo();
        int gy = t.window().boxY() + t.gridOffsetY() + tile.y() - grid.halo();
        float[] out = new float[pw * ph];
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                out[j * pw + i] = expected(gx + i, gy + j);
            }
        }
        store.put(t.outputKey(), PlaneCodec.encode(grid.stitchPart(tile, out)), ""); // as workers store it
        progress.pipeInput(t.jobId(), EventJson.toBytes(new JobProgress.TileDone(t.jobId(), t.modelId(), t.z(),
                t.tileIndex(), t.outputKey(), 0.01)));
    }

    private static float expected(int x, int y) {
        return (x + 2 * y) / 400f;
    }

    @Test
    void aRegionPreviewRunsTheFullRunsTilesAroundItsRegionAndNormalisesWithTheWholeVolume(@TempDir Path tmp)
            throws Exception {
        Region roi = new Region(40, 30, 1, 20, 20, 2);
        request("r1", roi);

        List<TileTask> tasks = tileTasks();
        TileGrid full = TileGrid.cover(W, H, 16, 16, 1);
        assertThat(tasks).isNotEmpty().allSatisfy(t -> {
            var layoutWindow = t.layout().window();
            TileGrid grid = t.layout().grid(t.planeWidth(), t.planeHeight());
            var tile = grid.tiles().get(t.tileIndex());
            // each tile is one of the full run's tiles, at the same place
            assertThat(full.tiles()).anyMatch(f -> f.x() == layoutWindow.originX() + tile.x()
                    && f.y() == layoutWindow.originY() + tile.y() && f.width() == tile.width() && f.height() == tile.height());
            // the tiles cover the region, and the box read holds every tile's input (clamped to the volume)
            assertThat(layoutWindow.originX()).isLessThanOrEqualTo(roi.x());
            assertThat(layoutWindow.originX() + grid.width()).isGreaterThanOrEqualTo(roi.x() + roi.width());
            assertThat(t.window().boxX()).isEqualTo(Math.max(0, layoutWindow.originX() - 16));
            assertThat(t.window().boxX() + t.window().boxWidth()).isLessThan(W);
            assertThat(t.window().boxZ()).isEqualTo(1);
            assertThat(t.inputKeys()).containsExactly("jobs/r1/input/" + t.z() + ".uint8le"); // the dataset's own type
            // scale_range 0..100 over the dataset (0..218), not over the region
            assertThat(t.inputStatistics().percentile(100) - t.inputStatistics().percentile(0))
                    .isCloseTo(218.0, within(1e-6));
        });
        // fewer tiles than the full run's, more than the region alone would need
        assertThat(tasks.size()).isLessThan(full.tiles().size() * 2).isGreaterThan(2);
        // the box slices are the dataset's own voxels
        TileTask first = tasks.get(0);
        float[] box = PlaneCodec.decode("jobs/r1/input/0.uint8le", store.get("jobs/r1/input/0.uint8le"),
                first.window().boxWidth() * first.window().boxHeight());
        assertThat(box[5 * first.window().boxWidth() + 7]).isEqualTo(first.window().boxX() + 7 + first.window().boxY() + 5);

        tasks.forEach(this::work);
        JobStatus last = lastStatus("r1");
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(last.results()).containsKeys("probabilities.tif", "thumbnail.png");
        assertThat(store.size(DatasetKeys.layersPrefix(DATASET) + "r1/layer.json")).isEmpty();
        // every pixel of the region's result is its own place's value
        Path tif = tmp.resolve("p.tif");
        java.nio.file.Files.write(tif, store.get(last.results().get("probabilities.tif")));
        var result = org.zooscope.core.io.VolumeReader.read(tif, org.zooscope.core.io.ReadLimits.defaults());
        assertThat(result.width()).isEqualTo(20);
        assertThat(result.depth()).isEqualTo(2);
        float[] plane = new float[20 * 20];
        result.copyPlane(1, plane);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                assertThat(plane[y * 20 + x]).as("pixel %d,%d", x, y)
                        .isCloseTo(expected(roi.x() + x, roi.y() + y), within(1e-5f));
            }
        }
    }

    @Test
    void aFullRunCoversTheVolumeAndBecomesALayerOfTheDataset() throws IOException {
        request("f1", null);

        List<TileTask> tasks = tileTasks();
        assertThat(tasks).hasSize(TileGrid.cover(W, H, 16, 16, 1).tiles().size() * D);
        assertThat(tasks).allSatisfy(t -> assertThat(t.window().fullRun()).isTrue());
        tasks.forEach(this::work);

        JobStatus last = lastStatus("f1");
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(last.results()).containsKeys("layer.json", "run.json", "probabilities.ome.zarr")
                .doesNotContainKey("probabilities.tif");
        assertThat(last.results().get("probabilities.ome.zarr")).isEqualTo(DatasetKeys.layerZarr(DATASET, "f1"));
        assertThat(store.size(DatasetKeys.layerZarr(DATASET, "f1") + ".zgroup")).isPresent();
        DatasetLayer layer = EventJson.fromBytes(store.get(DatasetKeys.layerRecord(DATASET, "f1")), DatasetLayer.class);
        assertThat(layer.structures()).containsExactly("mitochondria");
        String image = layer.images().get("mitochondria") + "/";
        FloatVolume probabilities = OmeZarr.readImage(key -> {
            try {
                return Optional.of(store.get(image + key));
            } catch (org.zooscope.core.store.ObjectStore.NoSuchObjectException e) {
                return Optional.empty();
            }
        }, "", 0, 1 << 20);
        assertThat(probabilities.width()).isEqualTo(W);
        assertThat(probabilities.depth()).isEqualTo(D);
        assertThat(probabilities.plane(D - 1)[W * H - 1]).isCloseTo(expected(W - 1, H - 1), within(1e-5f));
        assertThat(probabilities.voxelSize().x()).isEqualTo(6.0);
        String seg = layer.segmentations().get("mitochondria") + "/";
        FloatVolume mask = OmeZarr.readImage(key -> {
            try {
                return Optional.of(store.get(seg + key));
            } catch (org.zooscope.core.store.ObjectStore.NoSuchObjectException e) {
                return Optional.empty();
            }
        }, "", 0, 1 << 20);
        // the stand-in's output is (x + 2y) / 400: at or above the threshold 0.5 where x + 2y >= 200
        assertThat(mask.plane(0)[0]).isZero();
        assertThat(mask.plane(0)[(H - 1) * W + W - 1]).isEqualTo(255f);
    }

    @Test
    void aRegionOutsideTheVolumeFailsTheJobAndSaysWhere() {
        request("bad", new Region(110, 0, 0, 20, 20, 1));
        JobStatus last = lastStatus("bad");
        assertThat(last.state()).isEqualTo(JobState.FAILED);
        assertThat(last.error()).contains("outside the volume").contains(DATASET);
        assertThat(tileTasks()).isEmpty();
    }
}
