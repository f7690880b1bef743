package org.zooscope.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

/** The validation's own arithmetic: ranks with ties, Spearman's correlation, the concordance of pairs, rescaling. */
class RecommendationValidationTest {

    private static RecommendationValidation.Row row(String model, String block, double iou, double dice) {
        return new RecommendationValidation.Row(model, block, "mitochondria", "held out", iou, 0, 0, dice, 0, 0);
    }

    @Test
    void tiesShareTheirMeanRank() {
        assertThat(RecommendationValidation.ranks(new double[] {0.3, 0.1, 0.3, 0.9})).containsExactly(2.5, 1, 2.5, 4);
    }

    @Test
    void spearmanIsOneForTheSameOrderAndMinusOneForTheReverse() {
        List<RecommendationValidation.Row> same = List.of(row("a", "b1", 0.1, 0.5), row("b", "b1", 0.2, 0.6),
                row("c", "b2", 0.7, 0.61), row("d", "b2", 0.9, 0.99));
        assertThat(RecommendationValidation.spearman(same, RecommendationValidation.Row::iou,
                RecommendationValidation.Row::softDice)).isCloseTo(1.0, within(1e-12));
        List<RecommendationValidation.Row> reversed = List.of(row("a", "b1", 0.1, 0.9), row("b", "b1", 0.2, 0.8),
                row("c", "b2", 0.7, 0.3));
        assertThat(RecommendationValidation.spearman(reversed, RecommendationValidation.Row::iou,
                RecommendationValidation.Row::softDice)).isCloseTo(-1.0, within(1e-12));
        // pairs are only compared within a block: b1 right, b2 wrong
        List<RecommendationValidation.Row> mixed = List.of(row("a", "b1", 0.1, 0.5), row("b", "b1", 0.2, 0.6),
                row("a", "b2", 0.7, 0.9), row("b", "b2", 0.9, 0.8));
        assertThat(RecommendationValidation.concordance(mixed, RecommendationValidation.Row::softDice)).isEqualTo("1/2");
    }

    @Test
    void halfSizeAveragesPixelsAndKeepsLabelsCoveredAtLeastHalf() {
        float[] plane = {0, 2, 4, 6, 4, 6, 8, 10};
        boolean[] mask = {true, false, true, true, false, false, false, true};
        RecommendationValidation.Block b = new RecommendationValidation.Block("b", "mitochondria", "held out",
                new FloatVolume(4, 2, List.of(plane), DataType.UINT8, VoxelSize.unknown()), new boolean[][] {mask});
        RecommendationValidation.Block half = RecommendationValidation.rescaled(b, 0.5);
        assertThat(half.image().plane(0)).containsExactly(3f, 7f);
        assertThat(half.labels()[0]).containsExactly(false, true);
    }
}
