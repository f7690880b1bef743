package org.zooscope.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyMarkerTest {
    @TempDir
    Path dir;

    @Test
    void aFileAKilledRunLeftIsClearedAtStartAndWrittenWhenReady() throws Exception {
        Path file = dir.resolve("state/ready");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ready\n");

        ReadyMarker marker = ReadyMarker.cleared(file);
        assertThat(file).doesNotExist();

        marker.mark();
        assertThat(file).hasContent("ready");
        marker.clear();
        assertThat(file).doesNotExist();
    }

    @Test
    void noFileNamedMeansNothingToDo() {
        ReadyMarker marker = ReadyMarker.cleared("");
        marker.mark();
        marker.clear();
        assertThat(dir).isEmptyDirectory();
    }
}
