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
    private static final int W = 60;
    private static final int H = 50;
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

        // a dataset whose voxel value is x + y (0..108): any region spans less than the whole volume
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
        requests.pipeInput(jobId, EventJson.toBytes(new JobRequested(jobId, "owner", "share",
                new JobInput(null, DATASET, roi), List.of("m1"), new JobSettings(false, Augmentation.NONE, 0.5),
                Instant.now())));
    }

    private List<TileTask> tileTasks() {
        return tiles.readRecordsToList().stream().map(r -> EventJson.fromBytes(r.value(), TileTask.class)).toList();
    }

    private JobStatus lastStatus(String jobId) {
        List<JobStatus> seen = statuses.readRecordsToList().stream().filter(r -> r.key().equals(jobId))
                .map(r -> EventJson.fromBytes(r.value(), JobStatus.class)).toList();
        return seen.get(seen.size() - 1);
    }

    /** Plays the worker: a constant 0.75 per tile. */
    private void work(TileTask t) {
        TileGrid grid = t.layout().grid(t.planeWidth(), t.planeHeight());
        var tile = grid.tiles().get(t.tileIndex());
        float[] out = new float[grid.paddedWidth(tile) * grid.paddedHeight(tile)];
        java.util.Arrays.fill(out, 0.75f);
        store.put(t.outputKey(), PlaneCodec.encode(out), "");
        progress.pipeInput(t.jobId(), EventJson.toBytes(new JobProgress.TileDone(t.jobId(), t.modelId(), t.z(),
                t.tileIndex(), t.outputKey(), 0.01)));
    }

    @Test
    void aRegionPreviewReadsTheDatasetAroundItsRegionAndNormalisesWithTheWholeVolume() {
        request("r1", new Region(10, 8, 1, 20, 20, 2));

        List<TileTask> tasks = tileTasks();
        int perSlice = TileGrid.cover(20, 20, 16, 16, 1).tiles().size();
        assertThat(tasks).hasSize(perSlice * 2);
        assertThat(tasks).allSatisfy(t -> {
            // the grid covers the region; the input is the box around it with the model's 16 px halo, clamped
            assertThat(t.planeWidth()).isEqualTo(20);
            assertThat(t.window()).isNotNull();
            assertThat(t.window().boxX()).isZero();
            assertThat(t.window().boxWidth()).isEqualTo(46);
            assertThat(t.window().boxHeight()).isEqualTo(44);
            assertThat(t.window().offsetX()).isEqualTo(10);
            assertThat(t.window().offsetY()).isEqualTo(8);
            assertThat(t.window().boxZ()).isEqualTo(1);
            assertThat(t.inputKeys()).containsExactly("jobs/r1/input/" + t.z() + ".f32");
            // scale_range 0..100 over the dataset (0..108), not over the region (18..56)
            assertThat(t.transform().gain()).isCloseTo(1 / 108.0, within(1e-6));
        });
        // the box slices are the dataset's own voxels
        float[] box = PlaneCodec.decode(store.get("jobs/r1/input/0.f32"), 46 * 44);
        assertThat(box[20 * 46 + 30]).isEqualTo(50f);

        tasks.forEach(this::work);
        JobStatus last = lastStatus("r1");
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(last.results()).containsKeys("probabilities.tif", "overlay/0.png", "overlay/1.png");
        assertThat(store.size(DatasetKeys.layersPrefix(DATASET) + "r1/layer.json")).isEmpty();
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
        assertThat(last.results()).containsKeys("layer.json", "run.json").doesNotContainKey("probabilities.tif");
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
        assertThat(probabilities.plane(D - 1)[W * H - 1]).isEqualTo(0.75f);
        assertThat(probabilities.voxelSize().x()).isEqualTo(6.0);
    }

    @Test
    void aRegionOutsideTheVolumeFailsTheJobAndSaysWhere() {
        request("bad", new Region(50, 0, 0, 20, 20, 1));
        JobStatus last = lastStatus("bad");
        assertThat(last.state()).isEqualTo(JobState.FAILED);
        assertThat(last.error()).contains("outside the volume").contains(DATASET);
        assertThat(tileTasks()).isEmpty();
    }
}
