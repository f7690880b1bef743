package org.zooscope.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.zooscope.core.store.S3Settings;

/**
 * Where the local stack listens and keeps its state. Defaults are the contract's ({@code api.md}); each can be changed
 * with an environment variable, e.g. {@code ZOOSCOPE_KAFKA_PORT}.
 *
 * @param distDir  the server distributions laid out by {@code infra/servers} ({@code target/stack})
 * @param stateDir data, logs and PID files ({@code var/} for {@code ./zooscope}, {@code target/it} for tests)
 * @param workers  gpu-worker processes to start ({@code ZOOSCOPE_WORKERS}): each joins the one consumer group, as
 *                 the replicas of a cluster do
 */
public record StackSettings(Path root, Path distDir, Path stateDir, int kafkaPort, int kafkaControllerPort,
                            int openSearchPort, int openSearchTransportPort, int s3Port, int gatewayPort,
                            String s3AccessKey, String s3SecretKey, String bucket, int workers) {

    public StackSettings {
        for (int port : new int[] {kafkaPort, kafkaControllerPort, openSearchPort, openSearchTransportPort, s3Port, gatewayPort}) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        if (workers < 1) {
            throw new IllegalArgumentException("ZOOSCOPE_WORKERS must be >= 1 but was " + workers);
        }
    }

    /** The settings of {@code ./zooscope up}: fixed ports, state under {@code var/}. */
    public static StackSettings local(Path root, Map<String, String> env) {
        return new StackSettings(root, root.resolve("infra/servers/target/stack"), root.resolve("var"),
                port(env, "ZOOSCOPE_KAFKA_PORT", 9092), port(env, "ZOOSCOPE_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "ZOOSCOPE_OPENSEARCH_PORT", 9200), port(env, "ZOOSCOPE_OPENSEARCH_TRANSPORT_PORT", 9300),
                port(env, "ZOOSCOPE_S3_PORT", 9000), port(env, "ZOOSCOPE_GATEWAY_PORT", 8080),
                env.getOrDefault("ZOOSCOPE_S3_ACCESS_KEY", S3Settings.DEFAULT_ACCESS_KEY),
                env.getOrDefault("ZOOSCOPE_S3_SECRET_KEY", S3Settings.DEFAULT_SECRET_KEY),
                env.getOrDefault("ZOOSCOPE_S3_BUCKET", S3Settings.DEFAULT_BUCKET),
                count(env, "ZOOSCOPE_WORKERS", 1));
    }

    /** Settings for an integration test: free ports, state in {@code stateDir}, so tests never meet a dev stack. */
    public static StackSettings forTests(Path root, Path stateDir) {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        return new StackSettings(root, root.resolve("infra/servers/target/stack"), stateDir, freePort(taken),
                freePort(taken), freePort(taken), freePort(taken), freePort(taken), freePort(taken),
                S3Settings.DEFAULT_ACCESS_KEY, S3Settings.DEFAULT_SECRET_KEY, S3Settings.DEFAULT_BUCKET, 1);
    }

    /**
     * Test ports come from below Linux's ephemeral range (32768 and up by default): a port the OS hands out for
     * {@code new ServerSocket(0)} is free only until some process's next outgoing connection takes it as its local
     * port, and a test stack opens many before its servers bind (OpenSearch once failed so, "Address already in
     * use" on its transport port). Below the range only a listener can take it, and each is checked free here.
     */
    static final int TEST_PORTS_FROM = 20000;
    static final int TEST_PORTS_TO = 32000;

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String openSearchUrl() {
        return "http://127.0.0.1:" + openSearchPort;
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    public String gatewayUrl() {
        return "http://localhost:" + gatewayPort;
    }

    public S3Settings s3() {
        return new S3Settings(java.net.URI.create(s3Endpoint()), s3AccessKey, s3SecretKey, bucket, S3Settings.DEFAULT_REGION);
    }

    public Path runDir() {
        return stateDir.resolve("run");
    }

    public Path logDir() {
        return stateDir.resolve("log");
    }

    /** The environment every service process gets: where Kafka, S3 and OpenSearch are. */
    public Map<String, String> serviceEnvironment() {
        return Map.of("ZOOSCOPE_KAFKA_BOOTSTRAP", kafkaBootstrap(), "ZOOSCOPE_OPENSEARCH_URL", openSearchUrl(),
                "ZOOSCOPE_S3_ENDPOINT", s3Endpoint(), "ZOOSCOPE_S3_ACCESS_KEY", s3AccessKey,
                "ZOOSCOPE_S3_SECRET_KEY", s3SecretKey, "ZOOSCOPE_S3_BUCKET", bucket, "DJL_OFFLINE", "true");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return integer(env, name, fallback, "a port number");
    }

    private static int count(Map<String, String> env, String name, int fallback) {
        return integer(env, name, fallback, "a number");
    }

    private static int integer(Map<String, String> env, String name, int fallback, String what) {
        String v = env.get(name);
        try {
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + what + " but was '" + v + "'");
        }
    }

    /** A free loopback port for one more test server beside a test stack (see {@link #TEST_PORTS_FROM}). */
    public static int freeTestPort() {
        return freePort(new java.util.HashSet<>());
    }

    private static int freePort(java.util.Set<Integer> taken) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(TEST_PORTS_FROM, TEST_PORTS_TO);
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
                taken.add(port);
                return port;
            } catch (IOException inUse) {
                // another listener has it: try the next
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + TEST_PORTS_FROM + " and "
                + TEST_PORTS_TO + " on the loopback address"));
    }
}
