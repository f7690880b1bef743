package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TileExtractorTest {

    @ParameterizedTest
    @CsvSource({"37,23,16,5,8", "10,7,64,12,16", "2,2,8,9,1", "100,1,30,3,1"})
    void shouldCopyCoreAndMirrorTheHaloAtTheEdges(int w, int h, int tile, int halo, int step) {
        float[] plane = new float[w * h];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = i * 1.5f + 0.25f;
        }
        TileGrid g = TileGrid.cover(w, h, tile, halo, step);
        for (Tile t : g.tiles()) {
            int pw = g.paddedWidth(t);
            int ph = g.paddedHeight(t);
            float[] got = TileExtractor.extract(plane, w, h, g, t);
            assertThat(got).hasSize(pw * ph);
            for (int r = 0; r < ph; r++) {
                for (int c = 0; c < pw; c++) {
                    int sx = Mirror.index(t.x() - halo + c, w);
                    int sy = Mirror.index(t.y() - halo + r, h);
                    assertThat(got[r * pw + c]).as("tile %d r=%d c=%d", t.index(), r, c).isEqualTo(plane[sy * w + sx]);
                }
            }
        }
    }

    @Test
    void shouldStackZFramesAsChannels() {
        int w = 20;
        int h = 10;
        float[][] planes = new float[3][w * h];
        for (int z = 0; z < 3; z++) {
            java.util.Arrays.fill(planes[z], z + 1);
        }
        TileGrid g = TileGrid.cover(w, h, 8, 2, 4);
        Tile t = g.tiles().get(1);
        float[] stacked = TileExtractor.extractFrames(planes, w, h, g, t);
        int n = g.paddedWidth(t) * g.paddedHeight(t);
        assertThat(stacked).hasSize(3 * n);
        assertThat(java.util.Arrays.copyOfRange(stacked, 0, n)).containsOnly(1f);
        assertThat(java.util.Arrays.copyOfRange(stacked, 2 * n, 3 * n)).containsOnly(3f);
    }
}
