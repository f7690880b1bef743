package org.zooscope.core.modelpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.zooscope.core.tiling.AxisSize;

class ModelDescriptionParserTest {

    private static ModelDescription parse(String yaml) throws InvalidModelPackageException {
        return ModelDescriptionParser.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    static final String V05 = """
            format_version: 0.5.4
            type: model
            id: mito-test
            name: Mito test
            description: a test
            version: "2"
            license: CC-BY-4.0
            inputs:
              - id: raw
                axes:
                  - type: batch
                  - type: channel
                    channel_names: [z0, z1, z2]
                  - {type: space, id: y, size: {min: 64, step: 16}}
                  - {type: space, id: x, size: {min: 64, step: 16}}
                test_tensor: {source: test_input.npy, sha256: abc}
                preprocessing:
                  - id: scale_range
                    kwargs: {min_percentile: 1, max_percentile: 99.8}
            outputs:
              - id: prob
                axes:
                  - type: batch
                  - type: channel
                    channel_names: [mito]
                  - {type: space, id: y, size: {tensor_id: raw, axis_id: y}, halo: 24}
                  - {type: space, id: x, size: {tensor_id: raw, axis_id: x}, halo: 24}
                test_tensor: {source: test_output.npy, sha256: def}
            weights:
              onnx: {source: weights.onnx, sha256: 0123, opset_version: 17}
            config:
              zooscope: {component: mitochondria, modality: electron microscopy}
            """;

    @Test
    void readsA05Description() throws Exception {
        ModelDescription d = parse(V05);
        assertThat(d.id()).isEqualTo("mito-test");
        assertThat(d.version()).isEqualTo("2");
        assertThat(d.frames()).isEqualTo(3);
        assertThat(d.minSize()).isEqualTo(64);
        assertThat(d.step()).isEqualTo(16);
        assertThat(d.halo()).isEqualTo(24);
        assertThat(d.inputName()).isEqualTo("raw");
        assertThat(d.weightsSource()).isEqualTo("weights.onnx");
        assertThat(d.preprocessing()).extracting(ModelDescription.Op::id).containsExactly("scale_range");
        assertThat(d.zooscope()).containsEntry("component", "mitochondria");
        assertThat(d.acceptedSize(100)).isEqualTo(112);
        assertThat(ModelCard.of(d)).containsEntry("dims", "2.5D").containsEntry("frames", 3)
                .containsEntry("identifier", "zooscope:model/mito-test/2");
    }

    @Test
    void theCardSaysWhatAModelCostsWhenItsPackageDoes() throws Exception {
        assertThat(ModelCard.of(parse(V05))).doesNotContainKeys("tier", "msPerTile", "tierMaxMsPerTile");
        ModelDescription accurate = parse(V05.replace("zooscope: {component: mitochondria, modality: electron microscopy}",
                "zooscope: {component: mitochondria, tier: accurate, timing: {ort_512_ms: 181.5, threads: 2}}"));
        assertThat(ModelCard.of(accurate)).containsEntry("tier", "accurate").containsEntry("msPerTile", 181.5)
                .containsEntry("tierMaxMsPerTile", 400);
        assertThat(ModelTier.of(ModelCard.of(accurate)).costFactor()).isEqualTo(4.0);
        assertThat(ModelTier.of(java.util.Map.of("tier", "turbo"))).as("not a tier").isNull();
    }

    @Test
    void readsA04Description() throws Exception {
        ModelDescription d = parse("""
                format_version: 0.4.10
                type: model
                name: Old UNet
                inputs:
                  - name: input0
                    axes: bcyx
                    data_type: float32
                    shape: {min: [1, 1, 32, 32], step: [0, 0, 16, 16]}
                    preprocessing:
                      - name: zero_mean_unit_variance
                        kwargs: {mode: per_sample, axes: xy}
                outputs:
                  - name: output0
                    axes: bcyx
                    halo: [0, 0, 8, 8]
                    shape: {reference_tensor: input0, scale: [1, 1, 1, 1], offset: [0, 0, 0, 0]}
                test_inputs: [test_input.npy]
                test_outputs: [test_output.npy]
                weights:
                  onnx: {source: model.onnx, sha256: aa}
                """);
        assertThat(d.id()).isEqualTo("old-unet");
        assertThat(d.frames()).isEqualTo(1);
        assertThat(d.step()).isEqualTo(16);
        assertThat(d.inputY()).isEqualTo(new AxisSize(32, 16));
        assertThat(d.inputX()).isEqualTo(new AxisSize(32, 16));
        assertThat(d.halo()).isEqualTo(8);
        assertThat(d.preprocessing()).extracting(ModelDescription.Op::id).containsExactly("zero_mean_unit_variance");
        assertThat(d.testInput().source()).isEqualTo("test_input.npy");
    }

    @Test
    void listsEveryProblemAtOnce() {
        assertThatThrownBy(() -> parse("""
                format_version: 0.5.4
                type: dataset
                inputs: []
                outputs: []
                weights:
                  pytorch_state_dict: {source: w.pt}
                """))
                .isInstanceOfSatisfying(InvalidModelPackageException.class, e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(4)
                        .anySatisfy(p -> assertThat(p).contains("type must be 'model'"))
                        .anySatisfy(p -> assertThat(p).contains("name is missing"))
                        .anySatisfy(p -> assertThat(p).contains("exactly one input"))
                        .anySatisfy(p -> assertThat(p).contains("no ONNX weights")));
    }

    @Test
    void rejectsYamlThatIsNotYaml() {
        assertThatThrownBy(() -> parse("{{{: ["))
                .isInstanceOf(InvalidModelPackageException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void yamlSpecialFloatsOfFormat04PackagesAreRead() throws Exception {
        // bioimage.io 0.4 packages commonly declare data_range: [-.inf, .inf]
        ModelDescription d = parse("""
                format_version: 0.4.10
                type: model
                name: Ranged
                inputs:
                  - name: input0
                    axes: bcyx
                    data_type: float32
                    data_range: [-.inf, .inf]
                    shape: [1, 1, 64, 64]
                outputs:
                  - name: output0
                    axes: bcyx
                    data_range: [.nan, .inf]
                    shape: [1, 1, 64, 64]
                test_inputs: [test_input.npy]
                test_outputs: [test_output.npy]
                weights:
                  onnx: {source: model.onnx}
                """);
        assertThat(d.minSize()).isEqualTo(64);
    }

    @Test
    void readsEachSpatialAxisItsOwnSize() throws Exception {
        ModelDescription d = ModelTilingTest.model("512", "{min: 80, step: 32}", 4);

        assertThat(d.inputY()).isEqualTo(AxisSize.fixed(512));
        assertThat(d.inputX()).isEqualTo(new AxisSize(80, 32));
    }

    @Test
    void readsA04FixedShapePerAxis() throws Exception {
        ModelDescription d = parse("""
                format_version: 0.4.9
                type: model
                name: Fixed
                inputs:
                  - {name: input, axes: bcyx, data_type: float32, shape: [1, 1, 256, 128]}
                outputs:
                  - name: prob
                    axes: bcyx
                    shape: {reference_tensor: input, scale: [1, 1, 1, 1], offset: [0, 0, 0, 0]}
                test_inputs: [i.npy]
                test_outputs: [o.npy]
                weights:
                  onnx: {source: w.onnx}
                """);

        assertThat(d.inputY()).isEqualTo(AxisSize.fixed(256));
        assertThat(d.inputX()).isEqualTo(AxisSize.fixed(128));
    }

    @Test
    void aPreviewShowsTheFirstChannelThatIsNotBackgroundUnlessTheCardSaysOtherwise() throws Exception {
        String yaml = """
                format_version: 0.5.4
                type: model
                id: m
                name: M
                inputs:
                  - id: input
                    axes: [{type: batch}, {type: channel, channel_names: [raw]}, {type: space, id: y, size: 64}, {type: space, id: x, size: 64}]
                    test_tensor: {source: in.npy}
                outputs:
                  - id: prob
                    axes: [{type: batch}, {type: channel, channel_names: [background, foreground]}, {type: space, id: y, size: 64}, {type: space, id: x, size: 64}]
                    test_tensor: {source: out.npy}
                weights:
                  onnx: {source: weights.onnx}
                """;

        assertThat(parse(yaml).outputChannelNames()).containsExactly("background", "foreground");
        assertThat(parse(yaml).previewChannel()).isEqualTo(1);
        assertThat(parse(yaml + "config: {zooscope: {outputChannel: 0}}\n").previewChannel()).isZero();
        assertThat(parse(yaml.replace("[background, foreground]", "[membranes, mitochondria]")).previewChannel()).isZero();
    }

    @Test
    void readsA04ChannelLastDescriptionWithItsAxesWhereTheyAre() throws Exception {
        ModelDescription d = parse("""
                format_version: 0.4.9
                type: model
                name: Keras net
                inputs:
                  - {name: input, axes: byxc, data_type: float32, shape: {min: [1, 64, 32, 1], step: [0, 32, 16, 0]}}
                outputs:
                  - name: prob
                    axes: byxc
                    halo: [0, 12, 6, 0]
                    shape: {reference_tensor: input, scale: [1, 1, 1, 1], offset: [0, 0, 0, 0]}
                test_inputs: [i.npy]
                test_outputs: [o.npy]
                weights:
                  onnx: {source: w.onnx}
                """);

        assertThat(d.inputLayout()).isEqualTo(TensorLayout.BYXC);
        assertThat(d.outputLayout()).isEqualTo(TensorLayout.BYXC);
        assertThat(d.frames()).isEqualTo(1);
        assertThat(d.inputY()).isEqualTo(new AxisSize(64, 32));
        assertThat(d.inputX()).isEqualTo(new AxisSize(32, 16));
        assertThat(d.halo()).isEqualTo(12);
    }

    @Test
    void theTrainedPixelSizeComesFromTheAxesScaleAndUnitElseTheCard() throws Exception {
        String withAxes = V05.replace("{type: space, id: y, size: {min: 64, step: 16}}",
                        "{type: space, id: y, size: {min: 64, step: 16}, unit: nanometer, scale: 6.0}")
                .replace("{type: space, id: x, size: {min: 64, step: 16}}",
                        "{type: space, id: x, size: {min: 64, step: 16}, unit: nanometer, scale: 5.0}");
        ModelDescription d = parse(withAxes);
        assertThat(d.trainedPixelSize()).contains(new org.zooscope.core.volume.VoxelSize(5.0, 6.0, 5.0, "nm"));

        // no unit on the axes: the card's voxelSize, in micrometres here
        ModelDescription card = parse(V05.replace("zooscope: {component: mitochondria, modality: electron microscopy}",
                "zooscope: {component: mitochondria, voxelSize: {x: 0.0059, y: 0.0059, z: 0.04, unit: µm}}"));
        assertThat(card.axesPixelSize()).isNull();
        assertThat(card.trainedPixelSize().orElseThrow().toNanometres().x()).isCloseTo(5.9, within(1e-9));

        assertThat(parse(V05).trainedPixelSize()).isEmpty();
    }

    @Test
    void aNegativeAxisScaleIsAProblem() {
        String bad = V05.replace("{type: space, id: x, size: {min: 64, step: 16}}",
                "{type: space, id: x, size: {min: 64, step: 16}, unit: nanometer, scale: -2}")
                .replace("{type: space, id: y, size: {min: 64, step: 16}}",
                        "{type: space, id: y, size: {min: 64, step: 16}, unit: nanometer}");
        assertThatThrownBy(() -> parse(bad)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("scale");
    }

    @Test
    void anOutputAtACoarserScaleIsReadAsInputPixelsPerOutputPixelWithItsHaloInInputPixels() throws Exception {
        ModelDescription half = parse(V05.replace("size: {tensor_id: raw, axis_id: y}, halo: 24",
                "size: {tensor_id: raw, axis_id: y}, scale: 2.0, halo: 24")
                .replace("size: {tensor_id: raw, axis_id: x}, halo: 24", "size: {tensor_id: raw, axis_id: x}, scale: 2, halo: 24"));

        assertThat(half.outputScale()).isEqualTo(2);
        assertThat(half.halo()).as("24 output px of 2 input px each").isEqualTo(48);
        assertThat(parse(V05).outputScale()).isEqualTo(1);
        assertThat(parse(V05).halo()).isEqualTo(24);

        // the ratio of the two axes' scales counts, not the output's alone (bioimage.io's size reference)
        String inputAtHalf = V05
                .replace("{type: space, id: y, size: {min: 64, step: 16}}", "{type: space, id: y, size: {min: 64, step: 16}, scale: 0.5}")
                .replace("{type: space, id: x, size: {min: 64, step: 16}}", "{type: space, id: x, size: {min: 64, step: 16}, scale: 0.5}");
        ModelDescription relative = parse(inputAtHalf.replace("axis_id: y}, halo", "axis_id: y}, scale: 1.0, halo")
                .replace("axis_id: x}, halo", "axis_id: x}, scale: 1.0, halo"));
        assertThat(relative.outputScale()).isEqualTo(2);
        // an output axis without a scale of its own is on the input's grid, whatever pixel size the input states
        assertThat(parse(inputAtHalf).outputScale()).isEqualTo(1);
    }

    @Test
    void outputScalesZooscopeCannotPutBackOnTheInputGridAreNamed() {
        String offset = V05.replace("size: {tensor_id: raw, axis_id: y}, halo: 24", "size: {tensor_id: raw, axis_id: y, offset: -8}");
        assertThatThrownBy(() -> parse(offset)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("the output's y axis declares a size offset of -8");
        String fraction = V05.replace("size: {tensor_id: raw, axis_id: x}, halo: 24", "size: {tensor_id: raw, axis_id: x}, scale: 1.5");
        assertThatThrownBy(() -> parse(fraction)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("the output's x axis is at scale 1.5 against the input's 1.0");
        String finer = V05.replace("size: {tensor_id: raw, axis_id: x}, halo: 24", "size: {tensor_id: raw, axis_id: x}, scale: 0.5")
                .replace("size: {tensor_id: raw, axis_id: y}, halo: 24", "size: {tensor_id: raw, axis_id: y}, scale: 0.5");
        assertThatThrownBy(() -> parse(finer)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("at scale 0.5");
        String uneven = V05.replace("size: {tensor_id: raw, axis_id: x}, halo: 24", "size: {tensor_id: raw, axis_id: x}, scale: 2");
        assertThatThrownBy(() -> parse(uneven)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("the output's y and x axes are at different scales");
    }

    static final String V05_3D = """
            format_version: 0.5.4
            type: model
            id: cube
            name: Cube
            inputs:
              - id: raw
                axes:
                  - type: batch
                  - {type: channel, channel_names: [raw]}
                  - {type: space, id: z, size: @Z@}
                  - {type: space, id: y, size: {min: 16, step: 8}}
                  - {type: space, id: x, size: {min: 32, step: 8}}
                test_tensor: {source: test_input.npy}
            outputs:
              - id: prob
                axes:
                  - type: batch
                  - {type: channel, channel_names: [fg]}
                  - {type: space, id: z, size: {tensor_id: raw, axis_id: z}, halo: @H@}
                  - {type: space, id: y, size: {tensor_id: raw, axis_id: y}, halo: 2}
                  - {type: space, id: x, size: {tensor_id: raw, axis_id: x}, halo: 2}
                test_tensor: {source: test_output.npy}
            weights:
              onnx: {source: weights.onnx}
            """;

    private static ModelDescription cube(String z, int zHalo) throws InvalidModelPackageException {
        return parse(V05_3D.replace("@Z@", z).replace("@H@", String.valueOf(zHalo)));
    }

    @Test
    void a3dModelRunsAtTheSmallestOddZBlockItsAxisAndItsZHaloAllow() throws Exception {
        ModelDescription fixed = cube("5", 1);
        assertThat(fixed.depth()).isEqualTo(5);
        assertThat(fixed.frames()).as("the z block is fed as frames").isEqualTo(5);
        assertThat(fixed.channelsAreFrames()).isTrue();
        assertThat(fixed.inputY()).isEqualTo(new AxisSize(16, 8));
        assertThat(fixed.inputX()).isEqualTo(new AxisSize(32, 8));
        assertThat(fixed.halo()).isEqualTo(2);
        assertThat(fixed.inputLayout()).isEqualTo(TensorLayout.BCYX);
        assertThat(ModelCard.of(fixed)).containsEntry("dims", "3D").containsEntry("frames", 5);

        assertThat(cube("{min: 3, step: 2}", 1).depth()).isEqualTo(3);
        assertThat(cube("{min: 3, step: 2}", 3).depth()).as("2 * 3 + 1").isEqualTo(7);
        assertThat(cube("{min: 2, step: 1}", 0).depth()).as("at least 3 where it may grow").isEqualTo(3);
    }

    @Test
    void a3dModelZooscopeCannotCentreOnASliceIsNamed() {
        assertThatThrownBy(() -> cube("4", 1)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("the input's z axis is fixed at 4, an even size");
        assertThatThrownBy(() -> cube("3", 2)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("the input's z axis is fixed at 3, less than the output's z halo of 2");
        assertThatThrownBy(() -> cube("{min: 4, step: 2}", 1)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("the input's z axis takes only even sizes (4+n*2)");
        assertThatThrownBy(() -> cube("{tensor_id: raw, axis_id: y}", 1)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("a 3D model needs a fixed z size or min and step");
        assertThatThrownBy(() -> parse(V05_3D.replace("@Z@", "5").replace("@H@", "1").replace("channel_names: [raw]",
                "channel_names: [a, b]"))).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("the 3D input declares 2 channels");
        assertThatThrownBy(() -> parse(V05_3D.replace("@Z@", "5").replace("@H@", "1").replace("id: z, size: 5",
                "id: t, size: 5"))).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("a 3D input's space axes must be z, y, x");
    }
}
