package org.zooscope.infra.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @Test
    void startIsIdempotentAndStopLeavesNothingBehind(@TempDir Path dir) throws Exception {
        ManagedProcess p = new ManagedProcess("sleeper", dir.resolve("run"), dir.resolve("log"));
        long pid = p.start(List.of("sh", "-c", "echo started; sleep 60"), Map.of(), dir.resolve("work"));

        assertThat(p.isAlive()).isTrue();
        assertThat(Files.readString(p.pidFile()).strip()).isEqualTo(Long.toString(pid));
        // a second start (./zooscope up run again) finds it running and starts nothing
        assertThat(p.start(List.of("sh", "-c", "sleep 60"), Map.of(), dir.resolve("work"))).isEqualTo(pid);

        assertThat(p.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(p.pidFile()).doesNotExist();
        assertThat(p.tail(5)).contains("started");
        assertThat(p.stop(Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void aStalePidFileDoesNotCountAsRunning(@TempDir Path dir) throws Exception {
        ManagedProcess p = new ManagedProcess("ghost", dir.resolve("run"), dir.resolve("log"));
        Files.createDirectories(p.pidFile().getParent());
        Files.writeString(p.pidFile(), "999999999");
        assertThat(p.isAlive()).isFalse();
    }
}
