package org.zooscope.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process that outlives the launcher: started with its output in a log file and its PID in a PID file, so a
 * later {@code ./zooscope down} (another JVM) can find and stop it. Stopping sends SIGTERM, then SIGKILL after a grace
 * period, to the process and its descendants.
 */
public final class ManagedProcess {
    private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);

    private final String name;
    private final Path pidFile;
    private final Path logFile;

    public ManagedProcess(String name, Path runDir, Path logDir) {
        this.name = name;
        this.pidFile = runDir.resolve(name + ".pid");
        this.logFile = logDir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public Path pidFile() {
        return pidFile;
    }

    /** Starts the command unless a process recorded in the PID file is still alive; returns its PID. */
    public long start(List<String> command, Map<String, String> env, Path workDir) {
        Optional<ProcessHandle> running = handle();
        if (running.isPresent()) {
            return running.get().pid();
        }
        try {
            Files.createDirectories(pidFile.getParent());
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workDir);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            Files.writeString(pidFile, Long.toString(p.pid()), StandardCharsets.US_ASCII);
            log.info("started {} (pid {}), log {}", name, p.pid(), logFile);
            return p.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** The live process named by the PID file, if any. */
    public Optional<ProcessHandle> handle() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isAlive() {
        return handle().isPresent();
    }

    /** Stops the process and its descendants; true when something was running. */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> h = handle();
        if (h.isEmpty()) {
            deletePidFile();
            return false;
        }
        ProcessHandle root = h.get();
        List<ProcessHandle> tree = new java.util.ArrayList<>(root.descendants().toList());
        tree.add(0, root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : tree) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception timeout) {
                log.warn("{} (pid {}) did not stop within {}; killing it", name, p.pid(), grace);
                p.destroyForcibly();
            }
        }
        deletePidFile();
        return true;
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", pidFile, e.getMessage());
        }
    }

    /** The last lines of the log, to show why a process did not become ready. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }
}
