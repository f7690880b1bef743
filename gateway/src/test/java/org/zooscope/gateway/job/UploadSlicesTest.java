package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.gateway.problem.ApiProblem;

class UploadSlicesTest {
    private static final UploadedVolume UPLOAD = new UploadedVolume("u-1", "o", 64, 48, 5, "uint8", 0, 255, null, null,
            null, null, List.of("p0", "p1", "p2", "p3", "p4"), List.of("a.tif"), 1, Instant.now());

    @Test
    void withoutARoiTheJobRunsOnEverySlice() {
        assertThat(UploadSlices.of(null, UPLOAD)).isEqualTo(new Region(0, 0, 0, 64, 48, 5));
    }

    @Test
    void aRoiChoosesSlicesOfTheWholePlane() {
        assertThat(UploadSlices.of(new JobRequest.Roi(null, null, 1, null, null, 3), UPLOAD))
                .isEqualTo(new Region(0, 0, 1, 64, 48, 3));
        assertThat(UploadSlices.of(new JobRequest.Roi(0, 0, 3, 64, 48, null), UPLOAD))
                .as("depth defaults to the rest").isEqualTo(new Region(0, 0, 3, 64, 48, 2));
        assertThat(UPLOAD.slices(1, 3).planeKeys()).containsExactly("p1", "p2", "p3");
    }

    @Test
    void aRoiThatCutsThePlaneOrLeavesTheUploadIsAProblemNamingIt() {
        assertThatThrownBy(() -> UploadSlices.of(new JobRequest.Roi(10, null, 0, null, null, 1), UPLOAD))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("chooses slices only")
                .hasMessageContaining("64, 48");
        assertThatThrownBy(() -> UploadSlices.of(new JobRequest.Roi(null, null, 4, null, null, 2), UPLOAD))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("z 4..6 is outside the volume (64 x 48 x 5)");
        assertThatThrownBy(() -> UploadSlices.of(new JobRequest.Roi(null, null, 2, null, null, 0), UPLOAD))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("empty");
    }
}
