package org.zooscope.worker;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.lifecycle.ReadyMarker;
import org.zooscope.worker.config.WorkerSettings;
import org.zooscope.worker.inference.ModelRepository;
import org.zooscope.worker.inference.TileInference;
import org.zooscope.worker.task.Cancellations;
import org.zooscope.worker.task.PlaneCache;
import org.zooscope.worker.task.TileProcessor;
import org.zooscope.worker.task.TileTaskConsumer;

/** The gpu-worker process: wires the settings, the model repository and the consumer threads, and stops cleanly. */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        // DJL must never call out (it probes a cloud metadata endpoint otherwise).
        System.setProperty("ai.djl.offline", "true");
        WorkerSettings settings = WorkerSettings.fromEnvironment(System.getenv());
        ReadyMarker ready = ReadyMarker.cleared(settings.readyFile());
        S3ObjectStore store = S3ObjectStore.connect(settings.s3());
        Device device = ModelRepository.chooseDevice(settings.device());
        ModelRepository models = new ModelRepository(store, settings.cacheDir(), device, settings.intraOpThreads());
        PlaneCache planes = new PlaneCache(store, settings.planeCacheBytes());
        TileProcessor processor = new TileProcessor(models, planes, store,
                new TileInference(settings.maxBatchItems(), settings.maxBatchBytes() / Float.BYTES));

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());

        Cancellations cancellations = Cancellations.of(settings.bootstrap(), settings.name() + "-cancellations");
        Thread cancellationReader = new Thread(cancellations, settings.name() + "-cancellations");
        cancellationReader.setDaemon(true);
        cancellationReader.start();
        List<TileTaskConsumer> consumers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            String name = settings.name() + "-" + i;
            TileTaskConsumer c = new TileTaskConsumer(settings, processor, producer, cancellations::isCancelled, name);
            consumers.add(c);
            Thread t = new Thread(c, name);
            threads.add(t);
            t.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumers.forEach(TileTaskConsumer::stop);
            cancellations.close();
            for (Thread t : threads) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            producer.close();
            models.close();
            store.close();
            try {
                ready.clear();
            } catch (java.io.UncheckedIOException e) {
                log.warn(e.getMessage());
            }
        }, "shutdown"));
        ready.mark();
        log.info("{} ready: {} consumer thread(s), {} ONNX Runtime thread(s) each, device {}, batches of up to {} runs",
                settings.name(), settings.threads(), settings.intraOpThreads(), device, settings.maxBatchItems());
        for (Thread t : threads) {
            t.join();
        }
    }
}
