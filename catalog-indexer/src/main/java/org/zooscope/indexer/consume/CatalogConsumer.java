package org.zooscope.indexer.consume;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.events.DatasetRegistered;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobCompleted;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.Topics;
import org.zooscope.indexer.index.CatalogWriter;

/**
 * Consumes the model, dataset and job-completion topics into the catalog. Offsets are committed after the documents are
 * written, so a crash re-indexes (harmlessly: document ids are the event keys). An unreadable record is logged and
 * skipped: it cannot be indexed, and it must not stop the catalog.
 */
public final class CatalogConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CatalogConsumer.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final CatalogWriter writer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean assigned;

    public CatalogConsumer(String bootstrap, String groupId, CatalogWriter writer) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.writer = writer;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.MODELS_REGISTERED.name(), Topics.DATASETS_REGISTERED.name(),
                    Topics.JOBS_COMPLETED.name()));
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(500));
                assigned = !consumer.assignment().isEmpty();
                for (ConsumerRecord<String, byte[]> r : records) {
                    index(r);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** True once the consumer holds its partitions. */
    public boolean isAssigned() {
        return assigned;
    }

    private void index(ConsumerRecord<String, byte[]> r) {
        try {
            if (Topics.MODELS_REGISTERED.name().equals(r.topic())) {
                if (r.value() == null) {
                    writer.deleteModel(r.key());
                } else {
                    writer.model(Topics.MODELS_REGISTERED.value(r.value()));
                }
            } else if (Topics.DATASETS_REGISTERED.name().equals(r.topic())) {
                if (r.value() == null) {
                    writer.deleteDataset(r.key());
                } else {
                    writer.dataset(Topics.DATASETS_REGISTERED.value(r.value()));
                }
            } else if (r.value() != null) {
                writer.job(Topics.JOBS_COMPLETED.value(r.value()));
            }
        } catch (EventJson.MalformedEventException e) {
            log.warn("skipping unreadable record {} on {}: {}", r.key(), r.topic(), e.getMessage());
        }
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
