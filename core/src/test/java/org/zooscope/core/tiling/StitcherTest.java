package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StitcherTest {

    private static float[] noise(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat() * 100;
        }
        return p;
    }

    /**
     * A non-linear model with receptive-field radius {@code r}: max of the window plus a weighted sum, with zero
     * padding at the borders of whatever it is given (as a convolutional network would have).
     */
    static float[] neighbourhoodModel(float[] in, int w, int h, int r) {
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float max = Float.NEGATIVE_INFINITY;
                float sum = 0;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        float v = xx < 0 || yy < 0 || xx >= w || yy >= h ? 0 : in[yy * w + xx];
                        max = Math.max(max, v);
                        sum += v * (1 + dx * 0.25f - dy * 0.125f);
                    }
                }
                out[y * w + x] = max * 0.5f + sum / ((2 * r + 1) * (2 * r + 1));
            }
        }
        return out;
    }

    /** Runs {@code model} tile by tile and stitches. */
    static float[] tiled(float[] plane, int w, int h, TileGrid g, Function<float[], float[]> modelForTile,
            java.util.function.BiFunction<Tile, float[], float[]> perTile) {
        Stitcher s = new Stitcher(w, h, g);
        for (Tile t : g.tiles()) {
            float[] in = TileExtractor.extract(plane, w, h, g, t);
            s.add(t, perTile.apply(t, in));
        }
        return s.result();
    }

    /** The same model on the whole plane, mirror-padded by {@code m} on every side, cropped back. */
    static float[] untiledMirror(float[] plane, int w, int h, int m, int r) {
        int pw = w + 2 * m;
        int ph = h + 2 * m;
        float[] padded = new float[pw * ph];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                padded[y * pw + x] = plane[Mirror.index(y - m, h) * w + Mirror.index(x - m, w)];
            }
        }
        float[] o = neighbourhoodModel(padded, pw, ph, r);
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(o, (y + m) * pw + m, out, y * w, w);
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"257,131,64,8,16", "50,30,64,8,16", "1,1,8,4,1", "300,300,100,10,1", "129,65,32,6,8", "3,200,16,4,4"})
    void shouldStitchAConstantModelToTheSameConstant(int w, int h, int tile, int halo, int step) {
        TileGrid g = TileGrid.cover(w, h, tile, halo, step);
        Stitcher s = new Stitcher(w, h, g);
        for (Tile t : g.tiles()) {
            float[] out = new float[g.paddedWidth(t) * g.paddedHeight(t)];
            java.util.Arrays.fill(out, 0.7310586f);
            s.add(t, out);
        }
        assertThat(s.result()).containsOnly(0.7310586f);
    }

    @ParameterizedTest
    @CsvSource({
        // width, height, tile, halo, step, radius (<= halo - blend, blend = halo/2)
        "257,131,64,8,16,4", "50,30,64,8,16,4", "129,65,32,6,8,3", "200,97,40,10,1,5", "9,9,4,4,1,2"})
    void shouldMatchTheUntiledResultExactly(int w, int h, int tile, int halo, int step, int r) {
        float[] plane = noise(w, h, 42);
        TileGrid g = TileGrid.cover(w, h, tile, halo, step);
        float[] got = tiled(plane, w, h, g, null,
                (t, in) -> neighbourhoodModel(in, g.paddedWidth(t), g.paddedHeight(t), r));
        // same mirror padding everywhere: equal on every pixel, edges included
        assertThat(got).containsExactly(untiledMirror(plane, w, h, halo, r));
        // the model's own zero padding on the whole plane: equal away from the volume edge
        float[] plain = neighbourhoodModel(plane, w, h, r);
        for (int y = r; y < h - r; y++) {
            for (int x = r; x < w - r; x++) {
                assertThat(got[y * w + x]).as("x=%d y=%d", x, y).isEqualTo(plain[y * w + x]);
            }
        }
    }

    @Test
    void shouldDifferFromUntiledWhenTheReceptiveFieldExceedsTheHalo() {
        // negative control: proves the exactness test above can fail
        int w = 200;
        int h = 97;
        float[] plane = noise(w, h, 7);
        TileGrid g = TileGrid.cover(w, h, 40, 4, 1);
        float[] got = tiled(plane, w, h, g, null,
                (t, in) -> neighbourhoodModel(in, g.paddedWidth(t), g.paddedHeight(t), 6));
        assertThat(got).isNotEqualTo(untiledMirror(plane, w, h, 8, 6));
    }

    @Test
    void shouldBlendTileDisagreementsWithoutSeams() {
        int w = 256;
        int h = 64;
        TileGrid blended = TileGrid.cover(w, h, 64, 16, 1, 8);
        TileGrid hard = TileGrid.cover(w, h, 64, 16, 1, 0);
        float[] plane = new float[w * h];
        // a model whose output is a different constant on every tile (the worst disagreement)
        java.util.function.BiFunction<Tile, float[], float[]> perTileConstant = (t, in) -> {
            float[] o = new float[in.length];
            java.util.Arrays.fill(o, t.index() * 10f);
            return o;
        };
        float[] b = tiled(plane, w, h, blended, null, perTileConstant);
        float[] s = tiled(plane, w, h, hard, null, perTileConstant);
        int y = 32;
        float maxStepBlended = 0;
        float maxStepHard = 0;
        for (int x = 1; x < w; x++) {
            maxStepBlended = Math.max(maxStepBlended, Math.abs(b[y * w + x] - b[y * w + x - 1]));
            maxStepHard = Math.max(maxStepHard, Math.abs(s[y * w + x] - s[y * w + x - 1]));
        }
        assertThat(maxStepHard).isEqualTo(10f);
        assertThat(maxStepBlended).isLessThanOrEqualTo(10f / 16 + 1e-4f);
        // far from a boundary the tile's own value is kept
        assertThat(b[y * w + 32]).isEqualTo(0f);
        assertThat(b[y * w + 96]).isEqualTo(10f);
    }

    @Test
    void theStitchPartsOfTilesStitchToTheSameAsTheirPaddedOutputs() {
        int w = 150;
        int h = 110;
        TileGrid g = TileGrid.cover(w, h, 48, 12, 4, 6);
        assertThat(g.columns()).isGreaterThan(2);
        assertThat(g.rows()).isGreaterThan(2);
        Stitcher padded = new Stitcher(w, h, g);
        Stitcher parts = new Stitcher(w, h, g);
        java.util.Random rnd = new java.util.Random(5);
        long paddedSamples = 0;
        long partSamples = 0;
        for (Tile t : g.tiles()) {
            float[] out = new float[g.paddedWidth(t) * g.paddedHeight(t)];
            for (int i = 0; i < out.length; i++) {
                out[i] = rnd.nextFloat(); // tiles disagree everywhere, halo included
            }
            padded.add(t, out);
            float[] part = g.stitchPart(t, out);
            TileGrid.Part p = g.stitchPart(t);
            assertThat(part).hasSize(p.samples());
            // an interior tile keeps its core and the blending band on all four sides, nothing of the halo beyond
            if (t.index() % g.columns() > 0 && t.index() % g.columns() < g.columns() - 1
                    && t.index() / g.columns() > 0 && t.index() / g.columns() < g.rows() - 1) {
                assertThat(p.width()).isEqualTo(t.width() + 2 * g.blend());
                assertThat(p.height()).isEqualTo(t.height() + 2 * g.blend());
            }
            parts.addPart(t, part);
            paddedSamples += out.length;
            partSamples += part.length;
        }
        assertThat(parts.result()).containsExactly(padded.result());
        assertThat(partSamples).isLessThan(paddedSamples * 3 / 4);
        assertThatThrownBy(() -> new Stitcher(w, h, g).addPart(g.tiles().get(0), new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    }

    @Test
    void shouldRefuseIncompleteOrDuplicateTiles() {
        TileGrid g = TileGrid.cover(100, 100, 50, 4);
        Stitcher s = new Stitcher(100, 100, g);
        Tile t = g.tiles().get(0);
        s.add(t, new float[g.paddedWidth(t) * g.paddedHeight(t)]);
        assertThatThrownBy(s::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("3 of 4");
        assertThatThrownBy(() -> s.add(t, new float[g.paddedWidth(t) * g.paddedHeight(t)]))
                .hasMessageContaining("already");
        assertThatThrownBy(() -> s.add(g.tiles().get(1), new float[3])).hasMessageContaining("expected");
        assertThatThrownBy(() -> s.add(new Tile(9, 0, 0, 5, 5), new float[100])).hasMessageContaining("not a tile");
    }

    @Test
    void shouldBeReusableAfterReset() {
        TileGrid g = TileGrid.cover(70, 70, 32, 4, 8);
        Stitcher s = new Stitcher(70, 70, g);
        for (int round = 1; round <= 2; round++) {
            for (Tile t : g.tiles()) {
                float[] o = new float[g.paddedWidth(t) * g.paddedHeight(t)];
                java.util.Arrays.fill(o, round);
                s.add(t, o);
            }
            assertThat(s.result()).containsOnly((float) round);
            s.reset();
        }
    }
}
