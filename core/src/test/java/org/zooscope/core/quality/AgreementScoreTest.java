package org.zooscope.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AgreementScoreTest {

    /** Mean and population variance over the variants, per pixel: what a worker stores. */
    private static AgreementScore of(float[]... variants) {
        int n = variants.length;
        int size = variants[0].length;
        float[] mean = new float[size];
        float[] var = new float[size];
        for (int p = 0; p < size; p++) {
            double s = 0;
            for (float[] v : variants) {
                s += v[p];
            }
            double m = s / n;
            double q = 0;
            for (float[] v : variants) {
                q += (v[p] - m) * (v[p] - m);
            }
            mean[p] = (float) m;
            var[p] = (float) (q / n);
        }
        return new AgreementScore(n).add(mean, n > 1 ? var : null);
    }

    @Test
    void identicalPredictionsAgreeFully() {
        float[] mask = {0, 1, 1, 0, 1, 0, 0, 1};
        AgreementScore s = of(mask, mask.clone(), mask.clone(), mask.clone());
        assertThat(s.agreement()).isEqualTo(1.0);
        assertThat(s.softDice()).isCloseTo(1.0, within(1e-9));
        assertThat(s.confidence()).isEqualTo(1.0);
        assertThat(s.score()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void identicalSoftPredictionsAgreeFullyButAreNotConfident() {
        float[] soft = {0.5f, 0.5f, 0.5f, 0.5f};
        AgreementScore s = of(soft, soft.clone());
        assertThat(s.agreement()).isEqualTo(1.0);
        assertThat(s.confidence()).isCloseTo(0.0, within(1e-9));
        // soft Dice of a map of 0.5s with itself: 2·0.25 / (0.5 + 0.5)
        assertThat(s.softDice()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void contradictingPredictionsAgreeNotAtAll() {
        float[] a = {0, 1, 1, 0, 1, 0};
        float[] b = {1, 0, 0, 1, 0, 1};
        AgreementScore s = of(a, b);
        assertThat(s.agreement()).isCloseTo(0.0, within(1e-6));
        assertThat(s.softDice()).isCloseTo(0.0, within(1e-6));
        assertThat(s.score()).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void partialDisagreementLiesBetween() {
        float[] a = {0, 1, 1, 0, 1, 0, 1, 1};
        float[] b = {0, 1, 1, 0, 1, 0, 0, 0};
        // binary variants: the pixels they agree on are certain, so agreement sees only the contradicting ones
        assertThat(of(a, b).agreement()).isCloseTo(0.0, within(1e-6));
        assertThat(of(a, b).softDice()).isStrictlyBetween(0.0, 1.0);
        float[] c = {0.1f, 0.8f, 0.9f, 0.2f, 0.7f, 0.1f, 0.6f, 0.5f};
        float[] d = {0.2f, 0.9f, 0.7f, 0.1f, 0.8f, 0.2f, 0.3f, 0.4f};
        assertThat(of(c, d).agreement()).isStrictlyBetween(0.0, 1.0);
        assertThat(of(c, d).softDice()).isStrictlyBetween(0.0, 1.0);
        assertThat(of(c, d).softDice()).isLessThan(of(c, c.clone()).softDice());
    }

    @Test
    void softDiceFromMomentsEqualsPairwiseDiceOfTheVariants() {
        Random r = new Random(7);
        int n = 5;
        float[][] variants = new float[n][300];
        for (float[] v : variants) {
            for (int p = 0; p < v.length; p++) {
                v[p] = r.nextFloat() < 0.3 ? r.nextFloat() : 0;
            }
        }
        double num = 0;
        double den = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a == b) {
                    continue;
                }
                for (int p = 0; p < 300; p++) {
                    num += 2.0 * variants[a][p] * variants[b][p];
                    den += variants[a][p] + variants[b][p];
                }
            }
        }
        assertThat(of(variants).softDice()).isCloseTo(num / den, within(1e-5));
    }

    @Test
    void poolsOverPlanes() {
        float[] ones = {1, 1};
        float[] zeros = {0, 0};
        AgreementScore s = new AgreementScore(2).add(new float[] {1, 1}, new float[] {0, 0})
                .add(new float[] {0.5f, 0.5f}, new float[] {0.25f, 0.25f});
        // plane 1 agrees (both variants 1), plane 2 contradicts: Σvar 0.5 of Σm(1−m) 0.5
        assertThat(s.agreement()).isCloseTo(0.0, within(1e-6));
        assertThat(s.pixels()).isEqualTo(4);
        assertThat(of(ones, ones).softDice()).isCloseTo(1.0, within(1e-9));
        assertThat(of(zeros, zeros).softDice()).isEqualTo(0.0);
    }

    @Test
    void refusesWhatItCannotScore() {
        assertThatThrownBy(() -> new AgreementScore(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgreementScore(2).agreement()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AgreementScore(1).add(new float[] {0.2f}, null).agreement())
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> new AgreementScore(2).add(new float[] {0.2f}, new float[2]))
                .hasMessageContaining("variance has 2 values");
    }
}
