package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.Augmentation;
import org.zooscope.catalog.search.JobSearch.PastRun;

/** The rate an estimate uses, from past runs' figures alone. */
class TileRatesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void theMedianSecondsPerTileOfPastRunsOfTheModelAtThatLevel() {
        // given: 0.2, 0.3 and 0.25 s per tile, plus runs that must not count
        List<PastRun> past = List.of(
                run("a", List.of("mito-sbem-2d"), "none", 10, 2.0, 1),
                run("b", List.of("mito-sbem-2d"), "none", 20, 6.0, 2),
                run("c", List.of("mito-sbem-2d"), "none", 4, 1.0, 3),
                run("other-model", List.of("membrane-isbi-2d"), "none", 10, 90.0, 4),
                run("other-level", List.of("mito-sbem-2d"), "full", 10, 90.0, 5),
                run("no-tiles", List.of("mito-sbem-2d"), "none", 0, 1.0, 6));

        // when
        TileRates.Rate rate = TileRates.rate("mito-sbem-2d", Augmentation.NONE, 1, past, 20, 0.25);

        // then
        assertThat(rate.secondsPerTile()).isCloseTo(0.25, within(1e-9));
        assertThat(rate.jobs()).isEqualTo(3);
        assertThat(rate.basis()).isEqualTo("median of 3 past jobs with mito-sbem-2d, augmentation none: 0.25 s per tile");
    }

    @Test
    void onlyTheMostRecentNCountAndAnEvenCountAveragesTheMiddleTwo() {
        List<PastRun> past = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // older runs were slow (1 s per tile); the 4 newest take 0.1, 0.2, 0.3, 0.4
            double perTile = i < 6 ? 1.0 : (i - 5) / 10.0;
            past.add(run("r" + i, List.of("m"), "fast", 10, 10 * perTile, i));
        }

        TileRates.Rate rate = TileRates.rate("m", Augmentation.FAST, 1, past, 4, 0.25);

        assertThat(rate.secondsPerTile()).isCloseTo(0.25, within(1e-9));
        assertThat(rate.jobs()).isEqualTo(4);
    }

    @Test
    void runsOfTheModelAlonePrevailOverRunsBesideOthers() {
        List<PastRun> past = List.of(
                run("blend-1", List.of("m", "slow"), "none", 10, 50.0, 9),
                run("blend-2", List.of("m", "slow"), "none", 10, 50.0, 8),
                run("alone", List.of("m"), "none", 10, 1.0, 1));

        assertThat(TileRates.rate("m", Augmentation.NONE, 1, past, 20, 0.25).secondsPerTile()).isCloseTo(0.1, within(1e-9));
        TileRates.Rate blended = TileRates.rate("m", Augmentation.NONE, 1, past.subList(0, 2), 20, 0.25);
        assertThat(blended.secondsPerTile()).isCloseTo(5.0, within(1e-9));
        assertThat(blended.basis()).contains("beside other models");
    }

    @Test
    void runsAtAnotherLevelAreScaledByTheVariantsEachRuns() {
        // without augmentation 0.05 s per tile; a 1-frame model runs 8 variants at full, a 5-frame one 16
        List<PastRun> past = List.of(run("plain", List.of("m"), "none", 20, 1.0, 1));

        TileRates.Rate full2d = TileRates.rate("m", Augmentation.FULL, 1, past, 20, 0.25);
        assertThat(full2d.secondsPerTile()).isCloseTo(0.4, within(1e-9));
        assertThat(full2d.basis()).isEqualTo("no past jobs with m at augmentation full; median of 1 past job with it at"
                + " other levels, 0.05 s per tile and variant, × 8 variants: 0.4 s per tile");
        assertThat(TileRates.rate("m", Augmentation.FULL, 5, past, 20, 0.25).secondsPerTile()).isCloseTo(0.8, within(1e-9));
        // and the other way: 4 variants (fast) at 0.4 s per tile is 0.1 per variant
        assertThat(TileRates.rate("m", Augmentation.NONE, 1, List.of(run("fast", List.of("m"), "fast", 10, 4.0, 1)), 20, 0.25)
                .secondsPerTile()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void withNoPastRunTheBenchmarkDefaultTimesTheVariants() {
        TileRates.Rate none = TileRates.rate("new-model", Augmentation.NONE, 1, List.of(), 20, 0.25);
        assertThat(none.secondsPerTile()).isEqualTo(0.25);
        assertThat(none.jobs()).isZero();
        assertThat(none.basis()).isEqualTo("no past jobs with new-model: the benchmark default of 0.25 s per tile");

        TileRates.Rate standard = TileRates.rate("new-model", Augmentation.STANDARD, 3, List.of(), 20, 0.25);
        assertThat(standard.secondsPerTile()).isEqualTo(2.0);
        assertThat(standard.basis()).endsWith("× 8 variants for augmentation standard: 2 s per tile");
    }

    @Test
    void secondsAreWrittenWithTwoSignificantDigits() {
        assertThat(TileRates.seconds(0.2149)).isEqualTo("0.21");
        assertThat(TileRates.seconds(2.0)).isEqualTo("2");
        assertThat(TileRates.seconds(123.4)).isEqualTo("120");
    }

    private static PastRun run(String id, List<String> models, String augmentation, int tiles, double seconds, int minute) {
        return new PastRun(id, models, augmentation, tiles, seconds, T0.plusSeconds(60L * minute));
    }

    @Test
    void anUnmeasuredAccurateTierModelIsEstimatedAtItsTiersShareOfTheDefault() {
        TileRates.Rate accurate = TileRates.rate("mito-sbem-2d-accurate", Augmentation.NONE, 1, List.of(), 20, 0.25,
                org.zooscope.core.modelpkg.ModelTier.ACCURATE);
        assertThat(accurate.secondsPerTile()).isCloseTo(1.0, within(1e-9));
        assertThat(accurate.basis()).contains("× 4 for an accurate-tier model").contains("1 s per tile");
        assertThat(TileRates.rate("m", Augmentation.NONE, 1, List.of(), 20, 0.25, org.zooscope.core.modelpkg.ModelTier.FAST)
                .secondsPerTile()).isCloseTo(0.25, within(1e-9));
        // once it has run, its own past runs decide, whatever its tier
        assertThat(TileRates.rate("m", Augmentation.NONE, 1, List.of(run("a", List.of("m"), "none", 10, 4.0, 1)), 20, 0.25,
                org.zooscope.core.modelpkg.ModelTier.ACCURATE).secondsPerTile()).isCloseTo(0.4, within(1e-9));
    }
}
