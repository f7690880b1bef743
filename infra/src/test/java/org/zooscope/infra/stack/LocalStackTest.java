package org.zooscope.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

    @Test
    void aFreshTestStackForgetsEarlierStateIncludingRelocatedOpenSearchData(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        Path relocated = Files.createDirectories(tmp.resolve("elsewhere/opensearch-data"));
        Files.writeString(relocated.resolve("segment"), "old index");
        Files.createDirectories(state.resolve("s3/data/zooscope/models"));
        Files.writeString(state.resolve("s3/data/zooscope/models/m"), "old model");
        Files.createSymbolicLink(state.resolve("opensearch"), relocated);

        LocalStack.fresh(StackSettings.forTests(tmp, state));

        assertThat(state).doesNotExist();
        assertThat(relocated).doesNotExist();
    }
}
