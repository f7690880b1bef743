package org.zooscope.jobstream.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentEnsemblesTest {

    @Test
    void theLeastRecentlyUsedPlaneGoesFirstWhenTheBytesAreSpent() {
        RecentEnsembles recent = new RecentEnsembles(3 * 400); // three planes of 100 samples
        for (int z = 0; z < 3; z++) {
            recent.put("j", "mito", z, new float[100]);
        }
        recent.get("j", "mito", 0); // used: slice 1 is now the eldest
        recent.put("j", "mito", 3, new float[100]);

        assertThat(recent.get("j", "mito", 1)).isEmpty();
        assertThat(recent.get("j", "mito", 0)).isPresent();
        assertThat(recent.get("j", "mito", 3)).isPresent();
        assertThat(recent.bytes()).isEqualTo(1200);
    }

    @Test
    void aPlaneLargerThanTheBudgetIsNotKeptAndPushesNothingOut() {
        RecentEnsembles recent = new RecentEnsembles(400);
        recent.put("j", "mito", 0, new float[100]);
        recent.put("j", "mito", 1, new float[101]);

        assertThat(recent.get("j", "mito", 0)).isPresent();
        assertThat(recent.get("j", "mito", 1)).isEmpty();
    }

    @Test
    void forgettingAJobKeepsTheOthersAndTheirBytes() {
        RecentEnsembles recent = new RecentEnsembles(10_000);
        recent.put("a", "mito", 0, new float[100]);
        recent.put("b", "mito", 0, new float[50]);
        recent.put("a", "membranes", 0, new float[100]);
        recent.put("a", "mito", 0, new float[100]); // a redelivered slice replaces its plane

        recent.forget("a");

        assertThat(recent.get("a", "mito", 0)).isEmpty();
        assertThat(recent.get("b", "mito", 0)).isPresent();
        assertThat(recent.bytes()).isEqualTo(200);
    }
}
