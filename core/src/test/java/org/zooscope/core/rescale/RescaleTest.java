package org.zooscope.core.rescale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zooscope.core.volume.VoxelSize;

class RescaleTest {
    private static final Optional<VoxelSize> MODEL = Optional.of(new VoxelSize(5.9, 5.9, 40, "nm"));

    private static VoxelSize nm(double xy) {
        return new VoxelSize(xy, xy, 40, "nm");
    }

    @Test
    void aTwiceCoarserInputIsEnlargedTwiceWithANoteSayingSo() {
        Rescale r = Rescale.decide(nm(11.8), MODEL, true, "mito-sbem-2d", 500, 300);
        assertThat(r.factor()).isCloseTo(2.0, within(1e-9));
        assertThat(r.plane(500, 300)).isEqualTo(new PlaneSize(1000, 600));
        assertThat(r.note()).isEqualTo("input rescaled ×2.00 (11.8 nm → 5.9 nm per pixel, 500 x 300 → 1000 x 600) to "
                + "match mito-sbem-2d; results are on the input's grid");
    }

    @Test
    void unitsAreComparedInNanometres() {
        Rescale r = Rescale.decide(new VoxelSize(0.004, 0.004, 0.04, "µm"), MODEL, true, "m", 590, 590);
        assertThat(r.factor()).isCloseTo(4 / 5.9, within(1e-9));
        assertThat(r.plane(590, 590)).isEqualTo(new PlaneSize(400, 400));
        assertThat(r.note()).contains("4 nm → 5.9 nm");
    }

    @Test
    void withinTenPercentNothingIsDoneOrSaid() {
        assertThat(Rescale.decide(nm(6.4), MODEL, true, "m", 100, 100)).isEqualTo(Rescale.none());
        assertThat(Rescale.decide(nm(5.4), MODEL, true, "m", 100, 100)).isEqualTo(Rescale.none());
        assertThat(Rescale.decide(nm(6.6), MODEL, true, "m", 100, 100).resamples()).isTrue();
    }

    @Test
    void anUnknownInputSizeIsNotRescaledAndTheNoteSaysWhy() {
        Rescale r = Rescale.decide(VoxelSize.unknown(), MODEL, true, "mito-sbem-2d", 100, 100);
        assertThat(r.resamples()).isFalse();
        assertThat(r.note()).contains("pixel size is unknown").contains("trained at 5.9 nm");
        assertThat(Rescale.decide(null, MODEL, true, "m", 100, 100).note()).contains("unknown");
    }

    @Test
    void aModelThatStatesNoSizeRunsAsItIs() {
        assertThat(Rescale.decide(nm(11.8), Optional.empty(), true, "m", 100, 100)).isEqualTo(Rescale.none());
    }

    @Test
    void switchedOffItIsNotRescaledButStillSaid() {
        Rescale r = Rescale.decide(nm(11.8), MODEL, false, "mito-sbem-2d", 100, 100);
        assertThat(r.resamples()).isFalse();
        assertThat(r.note()).contains("switched off").contains("11.8 nm").contains("5.9 nm");
        assertThat(Rescale.decide(nm(5.9), MODEL, false, "m", 100, 100)).isEqualTo(Rescale.none());
    }

    @Test
    void factorsOrPlanesOutOfBoundsAreNotAppliedAndSaid() {
        Rescale far = Rescale.decide(nm(100), MODEL, true, "m", 100, 100);
        assertThat(far.resamples()).isFalse();
        assertThat(far.note()).contains("not rescaled").contains("×16.95");
        Rescale big = Rescale.decide(nm(23.6), MODEL, true, "m", 2048, 2048);
        assertThat(big.resamples()).isFalse();
        assertThat(big.note()).contains("8192 x 8192");
    }

    @Test
    void whereResamplingIsNotDoneTheNoteSaysWhyOnlyWhenTheSizesDiffer() {
        Rescale r = Rescale.notApplied(nm(11.8), MODEL, "m", "hosted datasets run at their own pixel size");
        assertThat(r.resamples()).isFalse();
        assertThat(r.note()).isEqualTo("input not rescaled for m (hosted datasets run at their own pixel size): the image"
                + " is at 11.8 nm per pixel, m was trained at 5.9 nm");
        assertThat(Rescale.notApplied(nm(6), MODEL, "m", "why")).isEqualTo(Rescale.none());
    }
}
