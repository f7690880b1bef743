package org.zooscope.infra.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.zooscope.infra.process.ManagedProcess;

/**
 * One Zooscope service (gateway, job-stream, gpu-worker, catalog-indexer) as its own JVM, so each scales on its own.
 * A service reports readiness by creating the file named in {@code ZOOSCOPE_READY_FILE} (the gateway is also probed
 * over HTTP).
 */
public final class ServiceProcess implements Server {
    private final String module;
    private final String instance;
    private final StackSettings s;
    private final ManagedProcess process;
    private final Map<String, String> extraEnv;
    private final String heap;

    public ServiceProcess(String module, StackSettings settings, Map<String, String> extraEnv, String heap) {
        this(module, module, settings, extraEnv, heap);
    }

    /**
     * A further instance of {@code module} (a second gpu-worker, say) under its own name: its own PID, log, ready
     * file and state directory.
     */
    public ServiceProcess(String module, String instance, StackSettings settings, Map<String, String> extraEnv,
                          String heap) {
        this.module = module;
        this.instance = instance;
        this.s = settings;
        this.process = new ManagedProcess(instance, settings.runDir(), settings.logDir());
        this.extraEnv = extraEnv;
        this.heap = heap;
    }

    @Override
    public String name() {
        return instance;
    }

    @Override
    public ManagedProcess process() {
        return process;
    }

    public Path jar() {
        return s.root().resolve(module).resolve("target").resolve("zooscope-" + module + "-0.1.0-SNAPSHOT-exec.jar");
    }

    private Path readyFile() {
        return s.runDir().resolve(instance + ".ready");
    }

    @Override
    public String endpoint() {
        return "gateway".equals(module) ? s.gatewayUrl() : "consumer of " + s.kafkaBootstrap();
    }

    @Override
    public void start() {
        if (process.isAlive()) {
            return;
        }
        if (!Files.isRegularFile(jar())) {
            throw new IllegalStateException(module + " is not built: " + jar() + " is missing (run mvn -B -DskipTests package)");
        }
        try {
            Files.deleteIfExists(readyFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>(s.serviceEnvironment());
        env.put("ZOOSCOPE_READY_FILE", readyFile().toString());
        env.put("ZOOSCOPE_STATE_DIR", s.stateDir().resolve("services").resolve(instance).toString());
        env.putAll(extraEnv);
        process.start(List.of(KafkaServer.java(), "-Xmx" + heap, "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-jar", jar().toString()), env, s.stateDir().resolve("services").resolve(instance));
    }

    @Override
    public boolean isReady() {
        if (!process.isAlive() || !Files.exists(readyFile())) {
            return false;
        }
        return !"gateway".equals(module) || Probes.httpBody(s.gatewayUrl() + "/actuator/health").contains("\"UP\"");
    }
}
