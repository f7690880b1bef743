package org.zooscope.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.zooscope.infra.process.ManagedProcess;

/** Kafka in KRaft mode (combined broker and controller), {@code kafka.Kafka} in its own JVM, on 127.0.0.1. */
public final class KafkaServer implements Server {
    private final StackSettings s;
    private final ManagedProcess process;
    private final Path dataDir;

    public KafkaServer(StackSettings settings) {
        this.s = settings;
        this.process = new ManagedProcess("kafka", settings.runDir(), settings.logDir());
        this.dataDir = settings.stateDir().resolve("kafka");
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public ManagedProcess process() {
        return process;
    }

    @Override
    public String endpoint() {
        return "bootstrap " + s.kafkaBootstrap();
    }

    @Override
    public void start() {
        if (process.isAlive()) {
            return;
        }
        try {
            Path props = writeProperties();
            String cp = s.distDir().resolve("kafka-lib").toString() + "/*";
            if (!Files.exists(dataDir.resolve("logs/meta.properties"))) {
                format(cp, props);
            }
            process.start(List.of(java(), "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-cp", cp, "kafka.Kafka",
                    props.toString()), Map.of(), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format(String cp, Path props) throws IOException {
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-cp", cp, "kafka.tools.StorageTool", "format",
                "-t", clusterId, "-c", props.toString(), "--standalone"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(process.logFile().toFile()));
        try {
            int rc = pb.start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("Kafka storage format failed (exit " + rc + "):\n" + process.tail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private Path writeProperties() throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(s.logDir());
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + s.kafkaControllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + s.kafkaPort() + ",CONTROLLER://127.0.0.1:" + s.kafkaControllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + s.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("logs"),
                "num.partitions=3",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=6",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, props);
        return file;
    }

    @Override
    public boolean isReady() {
        return process.isAlive() && Probes.portOpen(s.kafkaPort());
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
