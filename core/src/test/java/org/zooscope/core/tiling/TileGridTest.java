package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TileGridTest {

    @ParameterizedTest
    @CsvSource({"1030,700,512,32,1", "1024,1024,512,16,16", "257,131,64,8,16", "50,30,64,8,16", "1,1,8,4,1",
        "513,512,512,0,1"})
    void shouldCoverEveryPixelExactlyOnceWithBalancedCores(int w, int h, int tile, int halo, int step) {
        TileGrid g = TileGrid.cover(w, h, tile, halo, step);
        int[] hits = new int[w * h];
        for (Tile t : g.tiles()) {
            assertThat(t.width()).isBetween(1, tile);
            assertThat(t.height()).isBetween(1, tile);
            for (int y = t.y(); y < t.y() + t.height(); y++) {
                for (int x = t.x(); x < t.x() + t.width(); x++) {
                    hits[y * w + x]++;
                }
            }
            assertThat(g.paddedWidth(t) % step).isZero();
            assertThat(g.paddedHeight(t) % step).isZero();
            assertThat(g.paddedWidth(t)).isBetween(t.width() + 2 * halo, t.width() + 2 * halo + step - 1);
        }
        assertThat(hits).containsOnly(1);
        int minW = g.tiles().stream().mapToInt(Tile::width).min().orElseThrow();
        int maxW = g.tiles().stream().mapToInt(Tile::width).max().orElseThrow();
        assertThat(maxW - minW).isLessThanOrEqualTo(1);
        assertThat(g.columns()).isEqualTo((w + tile - 1) / tile);
        for (int i = 0; i < g.tiles().size(); i++) {
            assertThat(g.tiles().get(i).index()).isEqualTo(i);
        }
    }

    @Test
    void shouldMakeOneTileForAPlaneSmallerThanATile() {
        TileGrid g = TileGrid.cover(50, 30, 256, 16, 16);
        assertThat(g.tiles()).containsExactly(new Tile(0, 0, 0, 50, 30));
        assertThat(g.paddedWidth(g.tiles().get(0))).isEqualTo(96);
        assertThat(g.paddedHeight(g.tiles().get(0))).isEqualTo(64);
    }

    @Test
    void shouldSplit1030Into3BalancedColumns() {
        TileGrid g = TileGrid.cover(1030, 100, 512, 32);
        assertThat(g.tiles()).extracting(Tile::width).containsExactly(343, 343, 344);
        assertThat(g.halo()).isEqualTo(32);
        assertThat(g.blend()).isEqualTo(16);
    }

    @Test
    void shouldRefuseInvalidArguments() {
        assertThatThrownBy(() -> TileGrid.cover(0, 10, 8, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TileGrid.cover(10, 10, 0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TileGrid.cover(10, 10, 8, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TileGrid.cover(10, 10, 8, 2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TileGrid.cover(10, 10, 8, 2, 1, 3)).hasMessageContaining("blend");
    }

    @Test
    void tilesOfAFixedInputAreAllPaddedToExactlyThatSize() {
        TileGrid g = TileGrid.cover(1000, 700, 480, 16, AxisSize.fixed(512), AxisSize.fixed(512));

        assertThat(g.columns()).isEqualTo(3);
        assertThat(g.rows()).isEqualTo(2);
        for (Tile t : g.tiles()) {
            assertThat(g.paddedWidth(t)).isEqualTo(512);
            assertThat(g.paddedHeight(t)).isEqualTo(512);
        }
    }

    @Test
    void aSmallPlaneIsOneTilePaddedUpToTheFixedSize() {
        TileGrid g = TileGrid.cover(300, 220, 480, 16, AxisSize.fixed(512), AxisSize.fixed(512));

        assertThat(g.tiles()).singleElement().satisfies(t -> {
            assertThat(g.paddedWidth(t)).isEqualTo(512);
            assertThat(g.paddedHeight(t)).isEqualTo(512);
        });
    }

    @Test
    void eachAxisIsPaddedToItsOwnAcceptedSizes() {
        TileGrid g = TileGrid.cover(700, 700, 512, 16, new AxisSize(64, 48), new AxisSize(80, 32));

        for (Tile t : g.tiles()) {
            assertThat(t.width()).isEqualTo(350);
            assertThat(g.paddedHeight(t)).isEqualTo(400); // 350 + 32 = 382 -> 64 + 7 * 48
            assertThat(g.paddedWidth(t)).isEqualTo(400); // 382 -> 80 + 10 * 32
        }
    }

    @Test
    void coresThatDoNotFitAFixedInputAreRefused() {
        assertThatThrownBy(() -> TileGrid.cover(1000, 1000, 512, 16, AxisSize.fixed(512), AxisSize.fixed(512)))
                .hasMessageContaining("fixed input of 512 px");
    }

    @Test
    void alignedTilesStartOnMultiplesOfTheAlignmentAndStillCoverThePlaneOnce() {
        AxisSize any = AxisSize.multipleOf(1);
        TileGrid g = TileGrid.cover(1000, 50, 150, 12, any, any, 4);

        assertThat(g.align()).isEqualTo(4);
        assertThat(g.columns()).isEqualTo(7);
        int covered = 0;
        for (int c = 0; c < g.columns(); c++) {
            assertThat(g.columnStart(c) % 4).as("column " + c).isZero();
            covered += g.columnStart(c + 1) - g.columnStart(c);
            assertThat(g.columnStart(c + 1) - g.columnStart(c)).isBetween(140, 150 + 3);
        }
        assertThat(covered).isEqualTo(1000);
        // a window of it keeps the starts (relative to an aligned origin)
        TileGrid w = g.window(1, 3, 0, 1);
        assertThat(w.align()).isEqualTo(4);
        assertThat((g.columnStart(1) + w.columnStart(1)) % 4).isZero();
        // unaligned: the balanced starts
        assertThat(TileGrid.cover(1000, 50, 150, 12, any, any).columnStart(1)).isEqualTo(142);
    }

    @Test
    void anAlignmentNeedsAHaloThatIsAMultipleOfIt() {
        AxisSize any = AxisSize.multipleOf(1);
        assertThatThrownBy(() -> TileGrid.cover(100, 100, 50, 15, any, any, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple");
    }
}
