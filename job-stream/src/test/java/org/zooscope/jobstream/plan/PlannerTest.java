package org.zooscope.jobstream.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.tiling.AxisSize;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.jobstream.config.PlanSettings;

/** The planner cuts tiles the model accepts, whatever tile size is configured. */
class PlannerTest {

    private static ModelDescription model(String ySize, String xSize) throws Exception {
        return model(ySize, xSize, "[raw]");
    }

    private static ModelDescription model(String ySize, String xSize, String channels) throws Exception {
        String yaml = """
                format_version: 0.5.4
                type: model
                id: m
                name: M
                inputs:
                  - id: input
                    axes:
                      - {type: batch}
                      - {type: channel, channel_names: %s}
                      - {type: space, id: y, size: %s}
                      - {type: space, id: x, size: %s}
                    test_tensor: {source: in.npy}
                outputs:
                  - id: prob
                    axes:
                      - {type: batch}
                      - {type: channel, channel_names: [fg]}
                      - {type: space, id: y, size: {tensor_id: input, axis_id: y}}
                      - {type: space, id: x, size: {tensor_id: input, axis_id: x}}
                    test_tensor: {source: out.npy}
                weights:
                  onnx: {source: weights.onnx}
                """.formatted(channels, ySize, xSize);
        return ModelDescriptionParser.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static UploadedVolume volume(int w, int h) {
        return new UploadedVolume("u", "o", w, h, 3, "uint8", 0, 255, null, null, null, null, List.of("a", "b", "c"),
                List.of("a.tif"), 1, Instant.EPOCH);
    }

    @Test
    void aModelFixedAt512GetsOnly512PxTilesWhateverTheConfiguredTileSize() throws Exception {
        for (int configured : new int[] {256, 512, 1024}) {
            ModelPlan plan = Planner.plan("models/m/1/", model("512", "512"), volume(1000, 700),
                    new PlanSettings(configured, 1024));

            TileGrid grid = plan.layout().grid(1000, 700);
            assertThat(plan.tiles()).isEqualTo(grid.tiles().size());
            for (Tile t : grid.tiles()) {
                assertThat(grid.paddedWidth(t)).as("configured %d", configured).isEqualTo(512);
                assertThat(grid.paddedHeight(t)).as("configured %d", configured).isEqualTo(512);
            }
        }
    }

    @Test
    void minAndStepSizesArePlannedPerAxisAndTravelInTheTasksAsJson() throws Exception {
        ModelPlan plan = Planner.plan("models/m/1/", model("{min: 64, step: 48}", "{min: 80, step: 32}"), volume(300, 220),
                PlanSettings.defaults());

        TileLayout travelled = EventJson.fromBytes(EventJson.toBytes(plan.layout()), TileLayout.class);
        assertThat(travelled).isEqualTo(plan.layout());
        TileGrid grid = travelled.grid(300, 220);
        Tile only = grid.tiles().get(0);
        assertThat(grid.paddedHeight(only)).isEqualTo(256); // 220 + 2 * 16 = 252 -> 64 + 4 * 48
        assertThat(grid.paddedWidth(only)).isEqualTo(336); // 300 + 32 = 332 -> 80 + 8 * 32
        assertThat(new AxisSize(64, 48).accepts(grid.paddedHeight(only))).isTrue();
    }

    @Test
    void aModelThatCannotBeTiledIsNamed() throws Exception {
        ModelDescription d = model("512", "512");
        ModelDescription hugeHalo = new ModelDescription(d.formatVersion(), d.id(), d.name(), d.description(), d.version(),
                d.license(), d.tags(), d.inputName(), d.frames(), d.inputChannels(), d.minSize(), d.step(), d.inputY(), d.inputX(),
                d.inputLayout(), d.outputLayout(), d.outputName(), d.outputChannels(), d.outputChannelNames(), 256, d.preprocessing(), d.postprocessing(), d.weightsSource(),
                d.weightsSha256(), d.opsetVersion(), d.testInput(), d.testOutput(), d.covers(), d.cite(), d.authors(),
                d.config(), d.axesPixelSize(), d.depth(), d.inputZ(), d.outputScale());

        assertThatThrownBy(() -> Planner.plan("k", hugeHalo, volume(100, 100), PlanSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("halo of 256");
    }

    @Test
    void aModelTakingTwoChannelsOfOneImageIsRefusedNamingThem() throws Exception {
        assertThatThrownBy(() -> Planner.plan("k", model("{min: 16, step: 8}", "{min: 16, step: 8}", "[nuclei, membranes]"),
                volume(100, 100), PlanSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("it takes 2 input channels (nuclei, membranes) but the image has 1 channel");
    }

    @Test
    void aModelTrainedAtAnotherPixelSizeIsPlannedOverTheResampledPlane() throws Exception {
        // trained at 4 nm (the card's size; the axes state none), the upload at 6 nm: 1000 x 700 → 1500 x 1050
        ModelDescription d = ModelDescriptionParser.parse(new ByteArrayInputStream(yamlWithCard(4)
                .getBytes(StandardCharsets.UTF_8)));
        UploadedVolume at6 = new UploadedVolume("u", "o", 1000, 700, 3, "uint8", 0, 255, 6.0, 6.0, 30.0, "nm",
                List.of("a", "b", "c"), List.of("a.tif"), 1, Instant.EPOCH);
        PlanSettings settings = new PlanSettings(512, 256);

        ModelPlan plan = Planner.plan("k", d, at6, true, settings);
        assertThat(plan.rescale().factor()).isEqualTo(1.5);
        assertThat(plan.plane()).isEqualTo(new org.zooscope.core.rescale.PlaneSize(1500, 1050));
        assertThat(plan.tiles()).isEqualTo(plan.layout().grid(1500, 1050).tiles().size()).isEqualTo(9);
        assertThat(plan.rescale().note()).startsWith("input rescaled ×1.50 (6 nm → 4 nm per pixel");

        // switched off: the input's own grid (2 x 2 tiles), and the note says it was not done
        ModelPlan off = Planner.plan("k", d, at6, false, settings);
        assertThat(off.plane()).isNull();
        assertThat(off.tiles()).isEqualTo(4);
        assertThat(off.rescale().note()).contains("switched off");

        // within 10 %: as it is, nothing said
        UploadedVolume at42 = new UploadedVolume("u", "o", 1000, 700, 3, "uint8", 0, 255, 4.2, 4.2, 30.0, "nm",
                List.of("a", "b", "c"), List.of("a.tif"), 1, Instant.EPOCH);
        ModelPlan near = Planner.plan("k", d, at42, true, settings);
        assertThat(near.plane()).isNull();
        assertThat(near.rescale().note()).isNull();
    }

    private static String yamlWithCard(double nm) {
        return """
                format_version: 0.5.4
                type: model
                id: m
                name: M
                inputs:
                  - id: input
                    axes:
                      - {type: batch}
                      - {type: channel, channel_names: [raw]}
                      - {type: space, id: y, size: {min: 64, step: 16}}
                      - {type: space, id: x, size: {min: 64, step: 16}}
                    test_tensor: {source: in.npy}
                outputs:
                  - id: prob
                    axes:
                      - {type: batch}
                      - {type: channel, channel_names: [fg]}
                      - {type: space, id: y, size: {tensor_id: input, axis_id: y}}
                      - {type: space, id: x, size: {tensor_id: input, axis_id: x}}
                    test_tensor: {source: out.npy}
                weights:
                  onnx: {source: weights.onnx}
                config:
                  zooscope: {voxelSize: {x: %s, y: %s, z: 40, unit: nm}}
                """.formatted(nm, nm);
    }
}
