package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AxisSizeTest {

    @ParameterizedTest
    @CsvSource({"64,48,1,64", "64,48,64,64", "64,48,65,112", "64,48,112,112", "64,48,113,160", "16,16,544,544",
        "16,16,545,560", "512,0,1,512", "512,0,512,512", "1,1,37,37", "80,32,382,400"})
    void theSmallestAcceptedSizeHoldsWhatIsNeeded(int min, int step, int needed, int expected) {
        AxisSize s = new AxisSize(min, step);

        int size = s.atLeast(needed);

        assertThat(size).isEqualTo(expected).isGreaterThanOrEqualTo(needed);
        assertThat(s.accepts(size)).isTrue();
        assertThat(size == min || size - step < needed).as("the next smaller accepted size is too small").isTrue();
    }

    @Test
    void aFixedSizeTakesNothingElse() {
        AxisSize fixed = AxisSize.fixed(512);

        assertThat(fixed.accepts(512)).isTrue();
        assertThat(fixed.accepts(544)).isFalse();
        assertThat(fixed.accepts(256)).isFalse();
        assertThatThrownBy(() -> fixed.atLeast(513)).hasMessageContaining("fixed input of 512 px");
    }

    @Test
    void aMultipleOfStepIsTheOldRoundingUp() {
        for (int n = 1; n < 200; n++) {
            assertThat(AxisSize.multipleOf(16).atLeast(n)).isEqualTo((n + 15) / 16 * 16);
        }
    }

    @Test
    void impossibleSizesAreRefused() {
        assertThatThrownBy(() -> new AxisSize(0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AxisSize(64, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
