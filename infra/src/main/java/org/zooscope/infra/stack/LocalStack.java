package org.zooscope.infra.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.infra.provision.DatasetSeeder;
import org.zooscope.infra.provision.ModelSeeder;
import org.zooscope.infra.provision.TopicProvisioner;

/**
 * The whole local stack: Kafka, OpenSearch and S3 servers, then the four services. Every step is idempotent, so
 * starting again starts only what is not running. {@code ./zooscope} and the integration tests both use this class.
 */
public final class LocalStack {
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final StackSettings settings;
    private final KafkaServer kafka;
    private final OpenSearchServer openSearch;
    private final S3Server s3;

    public LocalStack(StackSettings settings) {
        this.settings = settings;
        this.kafka = new KafkaServer(settings);
        this.openSearch = new OpenSearchServer(settings);
        this.s3 = new S3Server(settings);
    }

    /**
     * A stack on empty state, for tests: whatever an earlier run left in the state dir (topics, buckets, indices) is
     * deleted first, including OpenSearch's relocated data (see {@link OpenSearchServer}).
     */
    public static LocalStack fresh(StackSettings settings) {
        wipe(settings.stateDir());
        return new LocalStack(settings);
    }

    static void wipe(Path dir) {
        if (!java.nio.file.Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (java.nio.file.Files.isSymbolicLink(p)) {
                    wipe(p.toRealPath());
                }
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear the test stack's state in " + dir, e);
        }
    }

    public StackSettings settings() {
        return settings;
    }

    public List<Server> servers() {
        return List.of(kafka, openSearch, s3);
    }

    /**
     * The four services, each its own JVM, with {@link StackSettings#workers()} gpu-workers; {@code gatewayEnv} adds
     * settings such as the API tokens.
     */
    public List<ServiceProcess> services(Map<String, String> gatewayEnv) {
        return services(gatewayEnv, false);
    }

    /**
     * The services as {@link #services(Map)}, plus the extra workers an earlier 'up' with more workers left running
     * (their PID files): what 'down' stops and 'status' shows, never what 'up' starts.
     */
    public List<ServiceProcess> knownServices() {
        return services(Map.of(), true);
    }

    private List<ServiceProcess> services(Map<String, String> gatewayEnv, boolean withLeftovers) {
        Map<String, String> gw = new java.util.HashMap<>(gatewayEnv);
        gw.put("SERVER_PORT", Integer.toString(settings.gatewayPort()));
        // the bundled samples the page offers ("try it without data of your own")
        gw.putIfAbsent("ZOOSCOPE_SAMPLES_DIR", settings.root().resolve("samples").toString());
        List<ServiceProcess> services = new ArrayList<>();
        services.add(new ServiceProcess("catalog-indexer", settings, Map.of(), "256m"));
        services.add(new ServiceProcess("gpu-worker", settings, Map.of(), "768m"));
        for (int i = 2; i <= settings.workers()
                || withLeftovers && Files.exists(settings.runDir().resolve("gpu-worker-" + i + ".pid")); i++) {
            services.add(new ServiceProcess("gpu-worker", "gpu-worker-" + i, settings,
                    Map.of("ZOOSCOPE_WORKER_NAME", "gpu-worker-" + i), "768m"));
        }
        services.add(new ServiceProcess("job-stream", settings, Map.of(), "512m"));
        services.add(new ServiceProcess("gateway", settings, gw, "768m"));
        return services;
    }

    /** Starts the servers, waits until each answers, then creates topics, the bucket and cluster settings. */
    public void startServers(Duration timeout) {
        servers().forEach(Server::start);
        awaitReady(servers(), timeout);
        openSearch.configureSingleNode();
        TopicProvisioner.createTopics(settings.kafkaBootstrap());
        try (S3ObjectStore store = S3ObjectStore.connect(settings.s3())) {
            store.ensureBucket();
        }
        log.info("servers ready: Kafka {}, OpenSearch {}, S3 {}", settings.kafkaBootstrap(), settings.openSearchUrl(),
                settings.s3Endpoint());
    }

    public void startServices(List<ServiceProcess> services, Duration timeout) {
        services.forEach(Server::start);
        awaitReady(services, timeout);
    }

    /** Loads the bundled zoo packages into S3 and announces them. */
    public List<String> seedModels(Path zooDir) {
        try (S3ObjectStore store = S3ObjectStore.connect(settings.s3())) {
            return ModelSeeder.seed(zooDir, store, settings.kafkaBootstrap());
        }
    }

    /** Ingests the demo dataset ({@code samples/demo-dataset}) unless it is stored, and announces it. */
    public DatasetCard seedDemoDataset(Path demoDir) {
        try (S3ObjectStore store = S3ObjectStore.connect(settings.s3())) {
            return DatasetSeeder.seedDemo(demoDir, store, settings.kafkaBootstrap());
        }
    }

    /** Stops services first (they flush to the servers), then the servers. */
    public List<String> stop(List<? extends Server> services) {
        List<String> stopped = new ArrayList<>();
        for (Server s : services) {
            if (s.stop()) {
                stopped.add(s.name());
            }
        }
        for (Server s : servers()) {
            if (s.stop()) {
                stopped.add(s.name());
            }
        }
        return stopped;
    }

    /** Polls every process until it is ready; fails with the log tail of the first that died or timed out. */
    public static void awaitReady(List<? extends Server> all, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Server> pending = new ArrayList<>(all);
        while (!pending.isEmpty()) {
            pending.removeIf(Server::isReady);
            for (Server s : pending) {
                if (!s.process().isAlive()) {
                    throw new IllegalStateException(s.name() + " exited during start-up; last log lines:\n" + s.process().tail(30));
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                Server s = pending.get(0);
                throw new IllegalStateException(s.name() + " not ready after " + timeout.toSeconds() + " s; last log lines:\n"
                        + s.process().tail(30));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the stack", e);
            }
        }
    }
}
