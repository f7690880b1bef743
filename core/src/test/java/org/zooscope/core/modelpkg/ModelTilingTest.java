package org.zooscope.core.modelpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.zooscope.core.tiling.AxisSize;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.TileLayout;

class ModelTilingTest {

    static ModelDescription model(String ySize, String xSize, int halo) throws Exception {
        return coarser(ySize, xSize, halo, 1);
    }

    @Test
    void aFixed512InputGetsCoresThatFitWithTheirHalo() throws Exception {
        TileLayout layout = ModelTiling.layout(model("512", "512", 0), 2000, 1500, 512);

        assertThat(layout.halo()).isEqualTo(ModelTiling.MIN_HALO);
        assertThat(layout.tileSize()).isEqualTo(512 - 2 * ModelTiling.MIN_HALO);
        TileGrid grid = layout.grid(2000, 1500);
        for (Tile t : grid.tiles()) {
            assertThat(grid.paddedWidth(t)).isEqualTo(512);
            assertThat(grid.paddedHeight(t)).isEqualTo(512);
        }
    }

    @Test
    void theDeclaredHaloIsKeptWhenLargerThanTheMinimum() throws Exception {
        TileLayout layout = ModelTiling.layout(model("512", "512", 40), 2000, 1500, 512);

        assertThat(layout.halo()).isEqualTo(40);
        assertThat(layout.tileSize()).isEqualTo(432);
    }

    @Test
    void aSmallFixedInputKeepsHalfOfItForTheCore() throws Exception {
        TileLayout layout = ModelTiling.layout(model("32", "32", 0), 100, 100, 512);

        assertThat(layout.halo()).isEqualTo(8);
        assertThat(layout.tileSize()).isEqualTo(16);
    }

    @Test
    void minAndStepArePerAxisAndTheCoreIsTheConfiguredOne() throws Exception {
        TileLayout layout = ModelTiling.layout(model("{min: 64, step: 48}", "{min: 80, step: 32}", 0), 700, 700, 512);

        assertThat(layout.tileSize()).isEqualTo(512);
        assertThat(layout.y()).isEqualTo(new AxisSize(64, 48));
        assertThat(layout.x()).isEqualTo(new AxisSize(80, 32));
    }

    @Test
    void aHaloThatLeavesNothingOfAFixedInputIsRefused() throws Exception {
        assertThatThrownBy(() -> ModelTiling.layout(model("64", "64", 32), 100, 100, 512))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("halo of 32").hasMessageContaining("64 px");
    }

    @Test
    void tilesPerPlaneIsThePlannersGridCount() throws Exception {
        ModelDescription fixed = model("512", "512", 0);

        assertThat(ModelTiling.tilesPerPlane(fixed, 2000, 1500, 512))
                .isEqualTo(ModelTiling.layout(fixed, 2000, 1500, 512).grid(2000, 1500).tiles().size())
                .isEqualTo(5 * 4); // cores of 480 px
        assertThat(ModelTiling.tilesPerPlane(model("{min: 64, step: 48}", "{min: 80, step: 32}", 0), 700, 700, 512))
                .isEqualTo(4);
        assertThat(ModelTiling.tilesPerPlane(fixed, 300, 200, 512)).isEqualTo(1);
    }

    @Test
    void aRegionTakesTheTilesOfTheWholePlanesGridThatItNeeds() throws Exception {
        ModelDescription fixed = model("512", "512", 0);

        // cores of at most 480 px spread evenly: 5 columns of 400 px, 4 rows of 375 px; x 100..1100 meets columns 0-2,
        // y 100..800 rows 0-2
        assertThat(ModelTiling.tilesInWindow(fixed, 2000, 1500, 100, 100, 1000, 700, 512)).isEqualTo(3 * 3);
        assertThat(ModelTiling.tilesInWindow(fixed, 2000, 1500, 0, 0, 2000, 1500, 512))
                .isEqualTo(ModelTiling.tilesPerPlane(fixed, 2000, 1500, 512));
        assertThatThrownBy(() -> ModelTiling.tilesInWindow(fixed, 2000, 1500, 3000, 0, 10, 10, 512))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The same model with its output at {@code scale} times the input's pixel size. */
    private static ModelDescription coarser(String ySize, String xSize, int halo, int scale) throws Exception {
        String yaml = """
                format_version: 0.5.4
                type: model
                id: m
                name: M
                inputs:
                  - id: input
                    axes:
                      - {type: batch}
                      - {type: channel, channel_names: [raw]}
                      - {type: space, id: y, size: %s}
                      - {type: space, id: x, size: %s}
                    test_tensor: {source: in.npy}
                outputs:
                  - id: prob
                    axes:
                      - {type: batch}
                      - {type: channel, channel_names: [fg]}
                      - {type: space, id: y, size: {tensor_id: input, axis_id: y}, scale: %d, halo: %d}
                      - {type: space, id: x, size: {tensor_id: input, axis_id: x}, scale: %d, halo: %d}
                    test_tensor: {source: out.npy}
                weights:
                  onnx: {source: weights.onnx}
                """.formatted(ySize, xSize, scale, halo, scale, halo);
        return ModelDescriptionParser.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCoarserOutputGetsTilesThatStartOnItsScaleSoEveryTilePoolsAsTheWholeImage() throws Exception {
        // 1001 px in 3 cores: balanced starts 333 and 667 are odd; at scale 2 they move to 332 and 666
        TileLayout layout = ModelTiling.layout(coarser("{min: 64, step: 32}", "{min: 64, step: 32}", 3, 2), 1001, 1001, 400);

        assertThat(layout.align()).isEqualTo(2);
        assertThat(layout.halo()).as("the declared 3 output px are 6 input px; 16 px rounded to the scale").isEqualTo(16);
        TileGrid grid = layout.grid(1001, 1001);
        assertThat(grid.columns()).isEqualTo(3);
        assertThat(grid.columnStart(1)).isEqualTo(332);
        assertThat(grid.columnStart(2)).isEqualTo(666);
        for (Tile t : grid.tiles()) {
            assertThat((t.x() - grid.halo()) % 2).as("padded input of tile " + t.index() + " starts on x").isZero();
            assertThat((t.y() - grid.halo()) % 2).as("padded input of tile " + t.index() + " starts on y").isZero();
        }
        // at scale 3 the halo goes up to a multiple of 3 too
        TileLayout third = ModelTiling.layout(coarser("{min: 64, step: 32}", "{min: 64, step: 32}", 0, 3), 1001, 1001, 400);
        assertThat(third.halo()).isEqualTo(18);
        TileGrid g3 = third.grid(1001, 1001);
        assertThat(g3.columnStart(1) % 3).isZero();
        assertThat(g3.columnStart(2) % 3).isZero();
        // the layout travels in tasks: the rebuilt grid is the same
        assertThat(new TileLayout(third.tileSize(), third.halo(), third.y(), third.x(), null, 3).grid(1001, 1001).columnStart(1))
                .isEqualTo(g3.columnStart(1));
        // a model on the input's grid keeps the balanced cores
        assertThat(ModelTiling.layout(model("{min: 64, step: 32}", "{min: 64, step: 32}", 0), 1001, 1001, 400)
                .grid(1001, 1001).columnStart(1)).isEqualTo(333);
    }

    @Test
    void aFixedInputWithACoarserOutputKeepsRoomForCoresGrownByTheAlignment() throws Exception {
        TileLayout layout = ModelTiling.layout(coarser("256", "256", 0, 2), 1001, 1001, 512);

        assertThat(layout.tileSize()).as("256 - 2 * 16 - 1").isEqualTo(223);
        TileGrid grid = layout.grid(1001, 1001);
        for (Tile t : grid.tiles()) {
            assertThat(grid.paddedWidth(t)).isEqualTo(256);
            assertThat(grid.paddedHeight(t)).isEqualTo(256);
            assertThat(t.x() % 2).isZero();
        }
    }
}
