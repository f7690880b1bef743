package org.zooscope.jobstream;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.lifecycle.ReadyMarker;
import org.zooscope.jobstream.config.JobStreamSettings;
import org.zooscope.jobstream.preprocess.Cdeep3mSliceEnhancer;
import org.zooscope.jobstream.topology.JobTopology;

/** The job-stream process: builds the topology, runs it with exactly-once processing, and stops cleanly. */
public final class JobStreamMain {
    private static final Logger log = LoggerFactory.getLogger(JobStreamMain.class);

    private JobStreamMain() {
    }

    public static Properties streamsConfig(JobStreamSettings s) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.streamThreads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, s.replicationFactor());
        // records that hand work on request their commit at once (WorkCommits); the interval only paces progress
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) s.plan().progressInterval().toMillis());
        // one slice or one assembly per poll keeps every poll loop well inside the poll interval
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 4 * 1024 * 1024);
        return p;
    }

    public static void main(String[] args) throws Exception {
        JobStreamSettings settings = JobStreamSettings.fromEnvironment(System.getenv());
        ReadyMarker ready = ReadyMarker.cleared(settings.readyFile());
        S3ObjectStore store = S3ObjectStore.connect(settings.s3());
        KafkaStreams streams = new KafkaStreams(
                JobTopology.build(store, new Cdeep3mSliceEnhancer(), settings.plan()), streamsConfig(settings));
        // A thread that dies on a transient error (S3 or broker hiccup) is replaced; the transaction it held is aborted.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            log.info("job-stream {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                try {
                    ready.mark();
                } catch (java.io.UncheckedIOException e) {
                    log.warn(e.getMessage());
                }
            }
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(java.time.Duration.ofSeconds(20));
            store.close();
            try {
                ready.clear();
            } catch (java.io.UncheckedIOException ignored) {
                // the launcher treats a missing process as not ready anyway
            }
        }, "shutdown"));
        streams.start();
        stopped.await();
    }
}
