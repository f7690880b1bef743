package org.zooscope.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.core.events.Topics;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.worker.config.WorkerSettings;
import org.zooscope.worker.inference.ModelRepository;
import org.zooscope.worker.inference.SkeletonModel;
import org.zooscope.worker.inference.TileInference;

class TileTaskConsumerTest {
    private static final String MODEL_KEY = "models/skeleton-smooth/1/";
    private static final TopicPartition TP = new TopicPartition(Topics.TILES_TASKS.name(), 0);

    @TempDir
    Path cache;

    @Test
    void aBatchRunsWhilePollingGoesOnPausedThenReportsThenCommits() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        InMemoryObjectStore store = new InMemoryObjectStore();
        for (String f : List.of("bioimageio.yaml", "weights.onnx")) {
            store.put(MODEL_KEY + f, Files.readAllBytes(SkeletonModel.dir().resolve(f)), "application/octet-stream");
        }
        store.put("jobs/j-1/input/0.f32", PlaneCodec.encode(new float[64 * 48]), "application/octet-stream");
        // a fresh repository: the model loads inside the batch, so the batch takes a while
        TileProcessor processor = new TileProcessor(new ModelRepository(store, cache, Device.cpu(), 1),
                new PlaneCache(store, 1 << 20), store, new TileInference(16, 1 << 22));
        WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of("ZOOSCOPE_WORKER_MAX_ATTEMPTS", "3"));
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        TileTaskConsumer worker = new TileTaskConsumer(settings, processor, producer, consumer, jobId -> false,
                "test-worker");

        List<Set<TopicPartition>> pausedAtPoll = new CopyOnWriteArrayList<>();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.updateBeginningOffsets(Map.of(TP, 0L));
            consumer.addRecord(record(0, EventJson.toBytes(task(0))));
            consumer.addRecord(record(1, "{\"jobId\":".getBytes(StandardCharsets.UTF_8)));
            consumer.addRecord(record(2, EventJson.toBytes(task(99)))); // outside the grid: fatal, not retried
        });
        for (int i = 0; i < 200; i++) {
            consumer.schedulePollTask(() -> pausedAtPoll.add(Set.copyOf(consumer.paused())));
        }
        Thread t = new Thread(worker, "test-worker");
        t.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    consumer.committed(Set.of(TP)).get(TP) != null && consumer.committed(Set.of(TP)).get(TP).offset() == 3);
        } finally {
            worker.stop();
            t.join(10_000);
        }

        // polling went on while the batch ran, with the partition paused, and resumed after
        assertThat(pausedAtPoll).anyMatch(s -> s.contains(TP));
        assertThat(consumer.paused()).isEmpty();

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        List<JobProgress> progress = sent.stream().filter(r -> r.topic().equals(Topics.JOBS_PROGRESS.name()))
                .map(r -> EventJson.fromBytes(r.value(), JobProgress.class)).toList();
        assertThat(progress).filteredOn(p -> p instanceof JobProgress.TileDone).singleElement()
                .satisfies(p -> assertThat(((JobProgress.TileDone) p).tileIndex()).isZero());
        assertThat(progress).filteredOn(p -> p instanceof JobProgress.TaskFailed).hasSize(2);
        assertThat(sent).filteredOn(r -> r.topic().equals(Topics.TILES_DLQ.name())).hasSize(2)
                .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"attempts\":1"));
        assertThat(store.get("jobs/j-1/tiles/skeleton-smooth/0/0.f32")).isNotEmpty();
    }

    private static ConsumerRecord<String, byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, "j-1/skeleton-smooth/0/" + offset, value);
    }

    private static TileTask task(int tile) {
        return new TileTask("j-1", "skeleton-smooth", MODEL_KEY, 0, tile, List.of("jobs/j-1/input/0.f32"), 64, 48, TileLayout.of(32, 1, 1),
                new VolumeStatistics(1, 0, 1, 0, 1, Map.of(0.0, 0.0, 100.0, 1.0)), 0, Augmentation.FAST, "jobs/j-1/tiles/skeleton-smooth/0/" + tile + ".f32", 1);
    }
}
