package org.zooscope.jobstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobCancelRequested;
import org.zooscope.core.events.JobCompleted;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.events.Topics;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.io.PlaneEncoding;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.jobstream.config.PlanSettings;
import org.zooscope.jobstream.jobstate.JobRecord;

/**
 * The whole job topology on {@link TopologyTestDriver}: the test plays the gpu-worker, everything else is the
 * production topology with an in-memory object store standing in for S3.
 */
class JobTopologyTest {
    private static final int W = 40;
    private static final int H = 30;
    private static final int D = 2;
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
    private TestInputTopic<String, byte[]> control;
    private TestOutputTopic<String, byte[]> statuses;
    private TestOutputTopic<String, byte[]> completed;
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
        control = driver.createInputTopic(Topics.JOBS_CONTROL.name(), ks, vs);
        statuses = driver.createOutputTopic(Topics.JOBS_STATUS.name(), new StringDeserializer(), new ByteArrayDeserializer());
        completed = driver.createOutputTopic(Topics.JOBS_COMPLETED.name(), new StringDeserializer(), new ByteArrayDeserializer());
        tiles = driver.createOutputTopic(Topics.TILES_TASKS.name(), new StringDeserializer(), new ByteArrayDeserializer());

        // given a registered model and an uploaded 2-slice volume with values 0..255
        store.put("models/m1/1/bioimageio.yaml", YAML.getBytes(StandardCharsets.UTF_8), "text/yaml");
        driver.createInputTopic(Topics.MODELS_REGISTERED.name(), ks, vs).pipeInput("m1",
                EventJson.toBytes(new ModelRegistered("m1", "1", "models/m1/1/", Map.of("id", "m1"), true, Instant.now())));
        // stored as the gateway stores a decoded 8-bit upload: one byte per sample
        List<String> keys = new ArrayList<>();
        for (int z = 0; z < D; z++) {
            store.put(StorageKeys.Uploads.plane("u1", z, "uint8le"), new PlaneEncoding("uint8le").encode(uploaded(z)), "");
            keys.add(StorageKeys.Uploads.plane("u1", z, "uint8le"));
        }
        UploadedVolume v = new UploadedVolume("u1", "owner", W, H, D, "uint8", 0, 255, null, null, null, null, keys,
                List.of("a.tif"), 100, Instant.now(), List.of(0L, 0L), "uint8le");
        store.put(StorageKeys.Uploads.volume("u1"), EventJson.toBytes(v), "application/json");
    }

    private static float[] uploaded(int z) {
        float[] plane = new float[W * H];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = (i * 7 + z * 13) % 256;
        }
        return plane;
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void request(String jobId, String... models) {
        requests.pipeInput(jobId, EventJson.toBytes(new JobRequested(jobId, "owner", "share", new JobInput("u1", null),
                List.of(models), new JobSettings(false, Augmentation.NONE, 0.5), Instant.now())));
    }

    private List<JobStatus> statusesOf(String jobId) {
        return statuses.readRecordsToList().stream().filter(r -> r.key().equals(jobId))
                .map(r -> EventJson.fromBytes(r.value(), JobStatus.class)).toList();
    }

    private List<TileTask> tileTasks() {
        return tiles.readRecordsToList().stream().map(r -> EventJson.fromBytes(r.value(), TileTask.class)).toList();
    }

    /** Plays the worker: writes a constant 0.75 probability for each tile and reports it done. */
    private void work(TileTask t) {
        TileGrid grid = t.layout().grid(t.planeWidth(), t.planeHeight());
        var tile = grid.tiles().get(t.tileIndex());
        float[] out = new float[grid.stitchPart(tile).samples()]; // as workers store it: the part stitching reads
        java.util.Arrays.fill(out, 0.75f);
        store.put(t.outputKey(), PlaneCodec.encode(out), "");
        if (t.augmentation() != Augmentation.NONE) {
            java.util.Arrays.fill(out, 0.01f);
            store.put(TileTask.varianceKey(t.outputKey()), PlaneCodec.encode(out), "");
        }
        progress.pipeInput(t.jobId(), EventJson.toBytes(new JobProgress.TileDone(t.jobId(), t.modelId(), t.z(),
                t.tileIndex(), t.outputKey(), 0.01)));
    }

    @Test
    void aJobRunsFromRequestToCompletionWithMonotonicProgress() {
        request("j1", "m1");

        // then preprocessing ran inside the topology and tile tasks went out for every tile of every slice
        List<TileTask> tasks = tileTasks();
        int perSlice = TileGrid.cover(W, H, 16, 16, 1).tiles().size();
        assertThat(tasks).hasSize(perSlice * D);
        assertThat(tasks).allSatisfy(t -> {
            // the model reads the job's copy of the uploaded plane, made by the slice's preprocessing, in the upload's
            // own 8 bits (not enhanced, so its values are the upload's)
            assertThat(t.inputKeys()).containsExactly("jobs/j1/input/" + t.z() + ".uint8le");
            // scale_range 0..100 over the whole volume: the task carries the volume's [0, 255]
            assertThat(t.inputStatistics().percentile(0)).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(t.inputStatistics().percentile(100)).isCloseTo(255, org.assertj.core.api.Assertions.within(1e-6));
        });
        for (int z = 0; z < D; z++) {
            String key = unenhancedInput("j1", z);
            assertThat(store.size(key)).as("a byte a sample").contains((long) W * H);
            assertThat(PlaneCodec.decode(key, store.get(key), W * H))
                    .as("slice %d as uploaded, as floats", z).containsExactly(uploaded(z));
        }

        // when every tile is done (one of them twice, as after a worker crash)
        work(tasks.get(0));
        tasks.forEach(this::work);

        // then the job succeeded, with a stitched result, one completion event and progress that never fell
        List<JobStatus> seen = statusesOf("j1");
        // queued until the service's one queue admits it, then running
        assertThat(seen).extracting(JobStatus::state).startsWith(JobState.QUEUED, JobState.RUNNING).endsWith(JobState.SUCCEEDED);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).progress()).isGreaterThanOrEqualTo(seen.get(i - 1).progress());
        }
        JobStatus last = seen.get(seen.size() - 1);
        assertThat(last.progress()).isEqualTo(1.0);
        // tiles done within the same 250 ms give one status between them, not one each
        assertThat(seen.stream().filter(s -> "inference".equals(s.stage())).count())
                .isLessThan(tasks.size());
        assertThat(last.results()).containsKeys("probabilities.tif", "segmentation.tif", "mitochondria/probabilities.tif");
        assertThat(store.size(last.results().get("probabilities.tif"))).isPresent();
        assertThat(last.results()).containsKeys("thumbnail.png", "probabilities.ome.zarr")
                .doesNotContainKeys("models/m1/uncertainty.tif", "overlay/0.png");
        assertThat(store.get(last.results().get("thumbnail.png"))).startsWith(0x89, 'P', 'N', 'G');
        assertThat(store.list("jobs/j1/results/overlay/")).as("overlays are rendered when asked for").isEmpty();
        assertThat(store.size(last.results().get("probabilities.ome.zarr") + "mitochondria/.zattrs")).isPresent();
        assertThat(store.size(last.results().get("probabilities.ome.zarr") + ".zgroup")).isPresent();
        List<JobCompleted> done = completed.readValuesToList().stream().map(b -> EventJson.fromBytes(b, JobCompleted.class)).toList();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.get(0).results()).containsKey("probabilities");

        // the intermediate objects stay for the job's retention (an hour by default), then go with its record
        assertThat(store.list("jobs/j1/tiles/")).isNotEmpty();
        assertThat(store.list("jobs/j1/input/")).isNotEmpty();
        driver.advanceWallClockTime(java.time.Duration.ofMinutes(61));
        assertThat(store.list("jobs/j1/tiles/")).isEmpty();
        assertThat(store.list("jobs/j1/stitched/")).isEmpty();
        assertThat(store.list("jobs/j1/input/")).isEmpty();
        assertThat(store.get(last.results().get("probabilities.tif"))).startsWith('I', 'I');
        assertThat(store.size(StorageKeys.Uploads.plane("u1", 0, "uint8le"))).as("the upload is not the job's").isPresent();
    }

    @Test
    void anEnhancedJobReadsItsEnhancedCopyOfEachSlice() {
        requests.pipeInput("enh", EventJson.toBytes(new JobRequested("enh", "owner", "share", new JobInput("u1", null),
                List.of("m1"), new JobSettings(true, Augmentation.NONE, 0.5), Instant.now())));
        List<TileTask> tasks = tileTasks();
        assertThat(tasks).isNotEmpty().allSatisfy(t ->
                assertThat(t.inputKeys()).containsExactly("jobs/enh/input/" + t.z() + ".f32"));
        assertThat(store.size("jobs/enh/input/1.f32")).contains((long) W * H * 4);
        tasks.forEach(this::work);
        List<JobStatus> seen = statusesOf("enh");
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void eachSliceIsAssembledAsSoonAsItsTilesAreDoneAndTheStacksOnceAllAre() {
        request("inc", "m1");
        List<TileTask> tasks = tileTasks();
        List<TileTask> slice0 = tasks.stream().filter(t -> t.z() == 0).toList();
        List<TileTask> slice1 = tasks.stream().filter(t -> t.z() == 1).toList();

        // when slice 1 has all tiles but one and slice 0 all of them
        slice1.subList(0, slice1.size() - 1).forEach(this::work);
        assertThat(store.list("jobs/inc/results/probabilities.ome.zarr/mitochondria/0/1/")).isEmpty();
        slice0.forEach(this::work);

        // then slice 0 is stitched and rendered while slice 1 still waits, and no stack is written yet
        assertThat(store.list("jobs/inc/results/probabilities.ome.zarr/mitochondria/0/0/")).isNotEmpty();
        assertThat(store.list("jobs/inc/results/probabilities.ome.zarr/mitochondria/0/1/")).isEmpty();
        assertThat(store.size("jobs/inc/results/probabilities.tif")).isEmpty();
        assertThat(statusesOf("inc")).last().extracting(JobStatus::state).isEqualTo(JobState.RUNNING);

        // when the last tile comes, the last slice and then the stacks are assembled
        work(slice1.get(slice1.size() - 1));
        List<JobStatus> seen = statusesOf("inc");
        JobStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        float[] stitched = resultSlice(last, "mitochondria", 1);
        assertThat(stitched).containsOnly(0.75f); // the worker's constant, blended across tile seams
        assertThat(store.get(last.results().get("segmentation.tif"))).startsWith('I', 'I');
    }

    @Test
    void aSliceThatCannotBeAssembledFailsTheJobWithTheSliceAndTheReason() {
        // a job whose worker left one tile of slice 1 cut short in the store
        request("short", "m1");
        List<TileTask> second = tileTasks();
        TileTask victim = second.stream().filter(t -> t.z() == 1).findFirst().orElseThrow();
        second.stream().filter(t -> t != victim).forEach(this::work);
        store.put(victim.outputKey(), new byte[12], "");
        progress.pipeInput(victim.jobId(), EventJson.toBytes(new JobProgress.TileDone(victim.jobId(), victim.modelId(),
                victim.z(), victim.tileIndex(), victim.outputKey(), 0.01)));

        List<JobStatus> seen = statusesOf("short");
        JobStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).isEqualTo(JobState.FAILED);
        assertThat(last.error()).contains("assembling slice 1 failed").contains("12 bytes");
        assertThat(last.results()).isEmpty();
        assertThat(store.size("jobs/short/results/probabilities.tif")).isEmpty();
    }

    @Test
    void withTestTimeAugmentationTheVarianceOfTheVariantsBecomesAnUncertaintyMap() {
        requests.pipeInput("tta", EventJson.toBytes(new JobRequested("tta", "owner", "share", new JobInput("u1", null),
                List.of("m1"), new JobSettings(false, Augmentation.FULL, 0.5), Instant.now())));
        tileTasks().forEach(this::work);
        List<JobStatus> seen = statusesOf("tta");
        JobStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        String key = last.results().get("models/m1/uncertainty.tif");
        assertThat(key).isNotNull();
        assertThat(store.get(key)).startsWith('I', 'I'); // a little-endian TIFF
        // without augmentation there is no variance, hence no uncertainty map (checked in the first test's results)
    }

    @Test
    void jobsBeyondTheRunningLimitWaitWithTheirQueuePositionAndStartInOrder() {
        request("a", "m1");
        request("b", "m1");
        request("c", "m1");
        request("d", "m1");
        List<JobStatus> c = statusesOf("c");
        assertThat(c.get(c.size() - 1).state()).isEqualTo(JobState.QUEUED);
        assertThat(c.get(c.size() - 1).queuePosition()).isEqualTo(1);
        List<TileTask> tasks = tileTasks();
        assertThat(tasks).extracting(TileTask::jobId).containsOnly("a", "b");

        // when a finishes, c starts and d moves up
        tasks.stream().filter(t -> t.jobId().equals("a")).forEach(this::work);
        assertThat(tileTasks()).extracting(TileTask::jobId).containsOnly("c");
        List<JobStatus> all = statuses.readRecordsToList().stream().map(r -> EventJson.fromBytes(r.value(), JobStatus.class)).toList();
        JobStatus lastD = all.stream().filter(s -> s.jobId().equals("d")).reduce((x, y) -> y).orElseThrow();
        assertThat(lastD.queuePosition()).isEqualTo(1);
    }

    @Test
    void theQueueIsOneOrderAcrossPartitionsAndAJobCancelledWhileWaitingLeavesIt() {
        request("a", "m1");
        request("b", "m1");
        request("c", "m1");
        request("d", "m1");
        assertThat(statusesOf("d")).last().satisfies(s -> {
            assertThat(s.state()).isEqualTo(JobState.QUEUED);
            assertThat(s.queuePosition()).isEqualTo(2);
        });
        // c gives up while waiting: d moves up, and nothing of c ever runs
        control.pipeInput("c", EventJson.toBytes(new JobCancelRequested("c", Instant.now())));
        List<JobStatus> after = statuses.readRecordsToList().stream().map(r -> EventJson.fromBytes(r.value(), JobStatus.class)).toList();
        assertThat(after.stream().filter(x -> x.jobId().equals("c")).toList()).last().extracting(JobStatus::state)
                .isEqualTo(JobState.CANCELLED);
        assertThat(after.stream().filter(x -> x.jobId().equals("d")).toList()).last().extracting(JobStatus::queuePosition)
                .isEqualTo(1);
        List<TileTask> tasks = tileTasks();
        tasks.stream().filter(t -> t.jobId().equals("a")).forEach(this::work);
        assertThat(tileTasks()).extracting(TileTask::jobId).containsOnly("d");
        assertThat(statusesOf("d")).last().satisfies(s -> {
            assertThat(s.state()).isEqualTo(JobState.RUNNING);
            assertThat(s.queuePosition()).isNull();
        });
    }

    @Test
    void progressRisesStageByStageAndNeverGoesBack() {
        request("p", "m1");
        tileTasks().forEach(this::work);
        List<Double> progress = statusesOf("p").stream().map(JobStatus::progress).toList();
        assertThat(progress).isSorted();
        assertThat(progress).contains(JobRecord.STARTED, JobRecord.PREPROCESSED).endsWith(1.0);
    }

    @Test
    void aJobPastItsDeadlineFailsAndSaysWhy() {
        requests.pipeInput("late", EventJson.toBytes(new JobRequested("late", "owner", "share", new JobInput("u1", null),
                List.of("m1"), new JobSettings(false, Augmentation.NONE, 0.5, 30), Instant.now())));
        assertThat(statusesOf("late")).last().extracting(JobStatus::state).isEqualTo(JobState.RUNNING);
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(31));
        List<JobStatus> seen = statusesOf("late");
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo(JobState.FAILED);
        assertThat(seen.get(seen.size() - 1).error()).contains("deadline");
        assertThat(completed.readValuesToList()).hasSize(1);
    }

    @Test
    void anUnknownModelFailsTheJobWithItsName() {
        request("j2", "m1", "nope");
        List<JobStatus> seen = statusesOf("j2");
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo(JobState.FAILED);
        assertThat(seen.get(seen.size() - 1).error()).contains("model 'nope' is not in the zoo");
        assertThat(tileTasks()).isEmpty();
        assertThat(completed.readValuesToList()).hasSize(1);
    }

    @Test
    void aMissingUploadFailsTheJob() {
        requests.pipeInput("j3", EventJson.toBytes(new JobRequested("j3", "o", "s", new JobInput("u-missing", null),
                List.of("m1"), new JobSettings(false, Augmentation.NONE, 0.5), Instant.now())));
        List<JobStatus> seen = statusesOf("j3");
        assertThat(seen.get(seen.size() - 1).error()).contains("upload u-missing does not exist");
    }

    @Test
    void aCancelledJobEndsOnceAndIgnoresLateTiles() {
        request("j4", "m1");
        List<TileTask> tasks = tileTasks();
        work(tasks.get(0));
        control.pipeInput("j4", EventJson.toBytes(new JobCancelRequested("j4", Instant.now())));
        tasks.forEach(this::work);
        List<JobStatus> seen = statusesOf("j4");
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo(JobState.CANCELLED);
        assertThat(completed.readValuesToList()).hasSize(1);
        assertThat(store.list("jobs/j4/results/")).isEmpty();
        assertThat(store.size("jobs/j4/CANCELLED")).isPresent();
    }

    @Test
    void aFailedTaskFailsTheJobWithTheWorkersReason() {
        request("j5", "m1");
        progress.pipeInput("j5", EventJson.toBytes(new JobProgress.TaskFailed("j5", "tile", "model m1 returned NaN")));
        List<JobStatus> seen = statusesOf("j5");
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo(JobState.FAILED);
        assertThat(seen.get(seen.size() - 1).error()).isEqualTo("model m1 returned NaN");
    }

    @Test
    void anUnreadableRequestIsNotLostButDropped() {
        requests.pipeInput("j6", "{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(statusesOf("j6")).isEmpty();
        // the topology keeps running: a good request after it still works
        request("j7", "m1");
        assertThat(tileTasks()).isNotEmpty();
    }

    /** Registers m2, m1 trained at 5 nm per pixel, and uploads u2, the same planes as u1 stated at 10 nm per pixel. */
    private void modelAt5nmAndUploadAt10nm() {
        String yaml = YAML.replace("id: m1", "id: m2")
                .replace("{type: space, id: y, size: {min: 8, step: 1}}", "{type: space, id: y, size: {min: 8, step: 1}, unit: nanometer, scale: 5}")
                .replace("{type: space, id: x, size: {min: 8, step: 1}}", "{type: space, id: x, size: {min: 8, step: 1}, unit: nanometer, scale: 5}");
        store.put("models/m2/1/bioimageio.yaml", yaml.getBytes(StandardCharsets.UTF_8), "text/yaml");
        driver.createInputTopic(Topics.MODELS_REGISTERED.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("m2", EventJson.toBytes(new ModelRegistered("m2", "1", "models/m2/1/", Map.of("id", "m2"),
                        true, Instant.now())));
        UploadedVolume u1 = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume("u1")), UploadedVolume.class);
        // the same stored planes (and their layout), stated at 10 nm
        UploadedVolume at10 = u1.withVoxelSize(10.0, 10.0, 40.0, "nm");
        UploadedVolume u2 = new UploadedVolume("u2", at10.ownerHash(), W, H, D, at10.dataType(), at10.min(), at10.max(),
                at10.voxelSizeX(), at10.voxelSizeY(), at10.voxelSizeZ(), at10.voxelUnit(), at10.planeKeys(),
                at10.fileNames(), at10.bytes(), at10.createdAt(), at10.planeOffsets(), at10.planeEncoding());
        store.put(StorageKeys.Uploads.volume("u2"), EventJson.toBytes(u2), "application/json");
    }

    private void requestOn(String uploadId, String jobId, Boolean rescale, String... models) {
        requests.pipeInput(jobId, EventJson.toBytes(new JobRequested(jobId, "owner", "share", new JobInput(uploadId, null),
                List.of(models), new JobSettings(false, Augmentation.NONE, 0.5, null, rescale), Instant.now())));
    }

    @Test
    void aModelTrainedAtAnotherPixelSizeRunsOnTheResampledInputAndItsMapComesBackOntoTheInputsGrid() {
        modelAt5nmAndUploadAt10nm();
        requestOn("u2", "rs", null, "m1", "m2");

        // m2 reads a copy of each slice resampled ×2 (80 x 30 → 80 x 60), written once by preprocessing; m1, which
        // states no pixel size, the job's input plane as it is
        List<TileTask> tasks = tileTasks();
        List<TileTask> m2 = tasks.stream().filter(t -> t.modelId().equals("m2")).toList();
        assertThat(m2).hasSize(TileGrid.cover(2 * W, 2 * H, 16, 16, 1).tiles().size() * D).allSatisfy(t -> {
            assertThat(t.planeWidth()).isEqualTo(2 * W);
            assertThat(t.planeHeight()).isEqualTo(2 * H);
            assertThat(t.inputKeys()).containsExactly("jobs/rs/input/resampled-80x60/" + t.z() + ".f32");
        });
        assertThat(tasks.stream().filter(t -> t.modelId().equals("m1"))).allSatisfy(t ->
                assertThat(t.inputKeys()).containsExactly(unenhancedInput("rs", t.z())));
        float[] upload = PlaneCodec.decode(unenhancedInput("rs", 1), store.get(unenhancedInput("rs", 1)), W * H);
        assertThat(PlaneCodec.decode(store.get("jobs/rs/input/resampled-80x60/1.f32"), 4 * W * H))
                .containsExactly(org.zooscope.core.rescale.Resampler.resample(upload, W, H, 2 * W, 2 * H));
        // the whole input's statistics, not the resampled copy's: scale_range 0..100 still sees [0, 255]
        assertThat(m2.get(0).inputStatistics().percentile(100)).isCloseTo(255, org.assertj.core.api.Assertions.within(1e-6));

        // when the worker answers 0.75 for m1's tiles and 0.25 for m2's
        for (TileTask t : tasks) {
            TileGrid grid = t.layout().grid(t.planeWidth(), t.planeHeight());
            var tile = grid.tiles().get(t.tileIndex());
            float[] out = new float[grid.stitchPart(tile).samples()];
            java.util.Arrays.fill(out, t.modelId().equals("m1") ? 0.75f : 0.25f);
            store.put(t.outputKey(), PlaneCodec.encode(out), "");
            progress.pipeInput(t.jobId(), EventJson.toBytes(new JobProgress.TileDone(t.jobId(), t.modelId(), t.z(),
                    t.tileIndex(), t.outputKey(), 0.01)));
        }

        // then both maps are on the input's 40 x 30 grid and their ensemble is their mean, pixel for pixel
        List<JobStatus> seen = statusesOf("rs");
        JobStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).isEqualTo(JobState.SUCCEEDED);
        float[] m2Map = PlaneCodec.decode(store.get("jobs/rs/stitched/models/m2/0.f32"), W * H);
        float[] ensemble = resultSlice(last, "mitochondria", 1);
        for (int i = 0; i < W * H; i++) {
            assertThat(m2Map[i]).isCloseTo(0.25f, org.assertj.core.api.Assertions.within(1e-6f));
            assertThat(ensemble[i]).isCloseTo(0.5f, org.assertj.core.api.Assertions.within(1e-6f));
        }
        // and the job says what it did, from the moment it is planned
        assertThat(seen.get(0).notes()).containsExactly("input rescaled ×2.00 (10 nm → 5 nm per pixel, 40 x 30 → 80 x"
                + " 60) to match m2; results are on the input's grid");
        assertThat(last.notes()).isEqualTo(seen.get(0).notes());
    }

    @Test
    void switchedOffTheModelRunsOnTheInputAsItIsAndTheJobSaysSo() {
        modelAt5nmAndUploadAt10nm();
        requestOn("u2", "off", false, "m2");
        List<TileTask> tasks = tileTasks();
        assertThat(tasks).isNotEmpty().allSatisfy(t -> {
            assertThat(t.planeWidth()).isEqualTo(W);
            assertThat(t.inputKeys()).containsExactly(unenhancedInput("off", t.z()));
        });
        assertThat(store.list("jobs/off/input/resampled")).as("no resampled copy").isEmpty();
        assertThat(statusesOf("off").get(0).notes()).singleElement().asString().contains("switched off")
                .contains("10 nm").contains("5 nm");
    }

    @Test
    void anUploadWithoutAVoxelSizeIsNotRescaledAndTheJobSaysTheSizeIsUnknown() {
        modelAt5nmAndUploadAt10nm();
        request("unk", "m2");
        assertThat(tileTasks()).isNotEmpty().allSatisfy(t -> assertThat(t.planeWidth()).isEqualTo(W));
        assertThat(statusesOf("unk").get(0).notes()).singleElement().asString().contains("pixel size is unknown");

        // the request can state it: the same upload is then rescaled for m2
        requests.pipeInput("stated", EventJson.toBytes(new JobRequested("stated", "owner", "share",
                new JobInput("u1", null), List.of("m2"), new JobSettings(false, Augmentation.NONE, 0.5, null, null,
                new org.zooscope.core.volume.VoxelSize(10, 10, 40, "nm")), Instant.now())));
        assertThat(tileTasks()).isNotEmpty().allSatisfy(t -> assertThat(t.planeWidth()).isEqualTo(2 * W));
        assertThat(statusesOf("stated").get(0).notes()).singleElement().asString().startsWith("input rescaled ×2.00");
    }

    @Test
    void aJobOverSomeSlicesOfAnUploadReadsThemAndItsResultHasOnlyThose() {
        requests.pipeInput("sl", EventJson.toBytes(new JobRequested("sl", "owner", "share",
                new JobInput("u1", null, new org.zooscope.core.events.Region(0, 0, 1, W, H, 1)), List.of("m1"),
                new JobSettings(false, Augmentation.NONE, 0.5), Instant.now())));

        // the one slice asked for is the upload's slice 1, preprocessed as the job's input slice 0
        List<TileTask> tasks = tileTasks();
        assertThat(tasks).isNotEmpty().allSatisfy(t -> {
            assertThat(t.z()).isZero();
            assertThat(t.inputKeys()).containsExactly(unenhancedInput("sl", 0));
        });
        assertThat(PlaneCodec.decode(unenhancedInput("sl", 0), store.get(unenhancedInput("sl", 0)), W * H))
                .containsExactly(uploaded(1));
        assertThat(store.list("jobs/sl/input/")).as("no other slice is read").hasSize(1);

        tasks.forEach(this::work);
        List<JobStatus> seen = statusesOf("sl");
        JobStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).as(last.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.list("jobs/sl/results/probabilities.ome.zarr/mitochondria/0/0/")).isNotEmpty();
        assertThat(store.list("jobs/sl/results/probabilities.ome.zarr/mitochondria/0/1/")).as("one slice's result").isEmpty();
    }

    @Test
    void slicesOutsideTheUploadFailTheJobNamingThem() {
        requests.pipeInput("out", EventJson.toBytes(new JobRequested("out", "owner", "share",
                new JobInput("u1", null, new org.zooscope.core.events.Region(0, 0, 1, W, H, 5)), List.of("m1"),
                new JobSettings(false, Augmentation.NONE, 0.5), Instant.now())));
        List<JobStatus> seen = statusesOf("out");
        JobStatus last = seen.get(seen.size() - 1);
        assertThat(last.state()).isEqualTo(JobState.FAILED);
        assertThat(last.error()).contains("slices 1..5", "2 slices");
    }

    /** Where an unenhanced job keeps its model-ready copy of an 8-bit upload's slice: in the upload's own type. */
    private static String unenhancedInput(String jobId, int z) {
        return StorageKeys.Jobs.input(jobId, z, org.zooscope.core.io.PlaneEncoding.storing(org.zooscope.core.volume.DataType.UINT8));
    }

    /** Slice z of a finished job's result for one structure, read from its OME-Zarr as a viewer would. */
    private float[] resultSlice(JobStatus done, String structure, int z) {
        String zarr = done.results().get("probabilities.ome.zarr");
        try {
            var volume = org.zooscope.core.zarr.OmeZarr.readImage(
                    k -> store.size(zarr + k).map(n -> store.get(zarr + k)), structure, 0, 1 << 30);
            float[] plane = new float[volume.width() * volume.height()];
            volume.copyPlane(z, plane);
            return plane;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
