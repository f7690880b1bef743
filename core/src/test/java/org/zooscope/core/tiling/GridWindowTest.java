package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A region of a large plane cut on the large plane's own tiles, and tiles cut out of a box around a region. */
class GridWindowTest {

    @Test
    void aRegionStitchesToExactlyWhatTheWholePlaneGivesThere() {
        int w = 300;
        int h = 260;
        TileLayout layout = TileLayout.of(64, 12, 1);
        // a "model" whose output at each pixel depends on the input around it, within the halo minus the blend
        float[] plane = new float[w * h];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = (float) Math.sin(i * 0.37) * 100 + (i % w);
        }
        float[] whole = run(plane, w, h, layout.grid(w, h), 0, 0);

        int rx = 97;
        int ry = 61;
        int rw = 83;
        int rh = 70;
        TileLayout windowed = layout.windowOver(w, h, rx, ry, rw, rh);
        TileGrid grid = windowed.gridOver(rw, rh);
        assertThat(grid.tiles().size()).isLessThan(layout.grid(w, h).tiles().size());
        float[] box = run(plane, w, h, grid, windowed.window().originX(), windowed.window().originY());
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                int gx = rx + x - windowed.window().originX();
                int gy = ry + y - windowed.window().originY();
                assertThat(box[gy * grid.width() + gx]).isEqualTo(whole[(ry + y) * w + rx + x]);
            }
        }
    }

    @Test
    void aWindowOutsideTheGridIsRefused() {
        TileGrid g = TileGrid.cover(100, 100, 30, 4, 1);
        assertThatThrownBy(() -> g.window(0, g.columns() + 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TileLayout.of(30, 4, 1).windowOver(100, 100, 120, 0, 5, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Tiles of {@code grid} (placed at {@code ox, oy} in the plane) through a 3x3 mean "model", stitched. */
    private static float[] run(float[] plane, int w, int h, TileGrid grid, int ox, int oy) {
        Stitcher s = new Stitcher(grid.width(), grid.height(), grid);
        for (Tile t : grid.tiles()) {
            int pw = grid.paddedWidth(t);
            int ph = grid.paddedHeight(t);
            float[] in = new float[pw * ph];
            TileExtractor.extract(plane, w, h, ox, oy, grid, t, in, 0);
            float[] out = new float[pw * ph];
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    double sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = Math.max(0, Math.min(ph - 1, y + dy));
                            int xx = Math.max(0, Math.min(pw - 1, x + dx));
                            sum += in[yy * pw + xx];
                        }
                    }
                    out[y * pw + x] = (float) (sum / 9);
                }
            }
            s.add(t, out);
        }
        return s.result();
    }
}
