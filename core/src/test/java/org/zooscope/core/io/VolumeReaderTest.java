package org.zooscope.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.zooscope.core.testing.Fixtures.D;
import static org.zooscope.core.testing.Fixtures.H;
import static org.zooscope.core.testing.Fixtures.W;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/** Reading every committed format variant back to the known sample values (see make_io_fixtures.py). */
class VolumeReaderTest {

    private static final float[] U8 = Fixtures.u8("io/expected_u8.raw");

    static Volume read(String resource) throws ImageReadException {
        return VolumeReader.read(Fixtures.path(resource), ReadLimits.defaults());
    }

    /** Asserts every sample equals {@code f(u8)} exactly. */
    static void assertSamples(Volume v, DoubleUnaryOperator f) {
        assertThat(v.width()).isEqualTo(W);
        assertThat(v.height()).isEqualTo(H);
        assertThat(v.depth()).isEqualTo(D);
        float[] p = new float[W * H];
        for (int z = 0; z < D; z++) {
            v.copyPlane(z, p);
            for (int i = 0; i < p.length; i++) {
                float expected = (float) f.applyAsDouble(U8[z * W * H + i]);
                if (p[i] != expected) {
                    throw new AssertionError("sample differs at z=" + z + " x=" + (i % W) + " y=" + (i / W)
                            + ": expected " + expected + " but was " + p[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stack_u8.tif", "stack_u8_deflate.tif", "stack_u8_tiled.tif", "stack_u8_bigtiff.tif",
        "stack_u8_bigtiff_tiled.tif", "stack_u8_bigendian.tif", "stack_u8_lzw.tif", "stack_u8_packbits.tif"})
    void shouldReadEveryUint8TiffVariantExactly(String name) throws Exception {
        Volume v = read("io/" + name);
        assertThat(v.dataType()).isEqualTo(DataType.UINT8);
        assertSamples(v, u -> u);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stack_u16_imagej.tif", "stack_u16_imagej_1ifd.tif"})
    void shouldReadImageJStacksWithCalibration(String name) throws Exception {
        Volume v = read("io/" + name);
        assertThat(v.dataType()).isEqualTo(DataType.UINT16);
        assertSamples(v, u -> u * 16 + 1000);
        assertThat(v.voxelSize().unit()).isEqualTo("nm");
        assertThat(v.voxelSize().x()).isCloseTo(5.9, within(1e-6));
        assertThat(v.voxelSize().y()).isCloseTo(5.9, within(1e-6));
        assertThat(v.voxelSize().z()).isEqualTo(40.0);
    }

    @Test
    void shouldReadBigEndianDeflateUint16() throws Exception {
        Volume v = read("io/stack_u16_bigendian.tif");
        assertThat(v.dataType()).isEqualTo(DataType.UINT16);
        assertSamples(v, u -> u * 16 + 1000);
    }

    @Test
    void shouldReadSigned16BitAsInt32KeepingNegatives() throws Exception {
        Volume v = read("io/stack_i16.tif");
        assertThat(v.dataType()).isEqualTo(DataType.INT32);
        assertSamples(v, u -> u * 16 + 1000 - 3000);
    }

    @Test
    void shouldReadInt32Deflate() throws Exception {
        Volume v = read("io/stack_i32.tif");
        assertThat(v.dataType()).isEqualTo(DataType.INT32);
        assertSamples(v, u -> u * 16 + 1000 - 3000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stack_f32.tif", "stack_f32_tiled.tif", "stack_f32_ome.tif"})
    void shouldReadFloat32WithoutClamping(String name) throws Exception {
        Volume v = read("io/" + name);
        assertThat(v.dataType()).isEqualTo(DataType.FLOAT32);
        assertSamples(v, u -> (float) (u / 255 * 2.5 - 0.7));
    }

    @Test
    void shouldTakeVoxelSizeFromOmeXml() throws Exception {
        VoxelSize vs = read("io/stack_f32_ome.tif").voxelSize();
        assertThat(vs.unit()).isEqualTo("µm");
        assertThat(vs.x()).isCloseTo(0.0059, within(1e-12));
        assertThat(vs.z()).isCloseTo(0.04, within(1e-12));
        assertThat(vs.toNanometres().x()).isCloseTo(5.9, within(1e-9));
    }

    @Test
    void shouldReportUnknownVoxelSizeWithoutMetadata() throws Exception {
        assertThat(read("io/stack_u8.tif").voxelSize()).isEqualTo(VoxelSize.unknown());
    }

    @ParameterizedTest
    @ValueSource(strings = {"slice_rgb.tif", "slice_rgb.png", "slice_u8.png", "slice_00.png"})
    void shouldReadGreyStoredAsRgbOrGreyExactly(String name) throws Exception {
        Volume v = read("io/" + name);
        assertThat(v.depth()).isEqualTo(1);
        assertThat(v.dataType()).isEqualTo(DataType.UINT8);
        float[] p = new float[W * H];
        v.copyPlane(0, p);
        assertThat(p).containsExactly(Fixtures.plane(U8, 0, W, H));
    }

    @Test
    void shouldRead16BitPng() throws Exception {
        Volume v = read("io/slice_u16.png");
        assertThat(v.dataType()).isEqualTo(DataType.UINT16);
        float[] p = new float[W * H];
        v.copyPlane(0, p);
        float[] u = Fixtures.plane(U8, 0, W, H);
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).isEqualTo(u[i] * 16 + 1000);
        }
    }

    @Test
    void shouldMapPalettePngToItsGreyLevels() throws Exception {
        Volume v = read("io/slice_palette.png");
        float[] p = new float[W * H];
        v.copyPlane(0, p);
        assertThat(p).containsExactly(Fixtures.u8("io/expected_palette_grey.raw"));
    }

    @Test
    void shouldReadPaletteIndicesOfLabelImages() throws Exception {
        float[] indices = Fixtures.u8("io/expected_labels.raw");
        assertThat(indices).contains(0f, 1f);
        float[] p = new float[W * H];
        VolumeReader.readLabels(Fixtures.path("io/labels_palette.png"), ReadLimits.defaults()).copyPlane(0, p);
        assertThat(p).containsExactly(indices);
        // read() gives the grey level of the palette colour instead: green -> luma 150
        read("io/labels_palette.png").copyPlane(0, p);
        assertThat(p).containsOnly(0f, 150f);
    }

    @Test
    void shouldReadMrcFloat32WithAngstromVoxelSize() throws Exception {
        Volume v = read("io/stack_f32.mrc");
        assertThat(v.dataType()).isEqualTo(DataType.FLOAT32);
        assertSamples(v, u -> (float) (u / 255 * 2.5 - 0.7));
        assertThat(v.voxelSize()).isEqualTo(new VoxelSize(59, 59, 400, "Å"));
        assertThat(v.voxelSize().toNanometres().z()).isCloseTo(40, within(1e-9));
    }

    @Test
    void shouldReadBigEndianMrc() throws Exception {
        assertSamples(read("io/stack_f32_bigendian.mrc"), u -> (float) (u / 255 * 2.5 - 0.7));
    }

    @Test
    void shouldReadMrcIntegerModes() throws Exception {
        Volume u16 = read("io/stack_u16.mrc");
        assertThat(u16.dataType()).isEqualTo(DataType.UINT16);
        assertSamples(u16, u -> u * 16 + 1000);
        Volume i16 = read("io/stack_i16.mrc");
        assertThat(i16.dataType()).isEqualTo(DataType.INT32);
        assertSamples(i16, u -> u * 16 + 1000 - 3000);
        Volume i8 = read("io/stack_i8.mrc");
        assertThat(i8.dataType()).isEqualTo(DataType.INT32);
        assertSamples(i8, u -> u - 128);
    }

    @Test
    void shouldReadMrcHalfFloat() throws Exception {
        Volume v = read("io/stack_f16.mrc");
        assertThat(v.dataType()).isEqualTo(DataType.FLOAT32);
        float[] expected = Fixtures.floats("io/expected_f16_as_f32.raw");
        float[] p = new float[W * H];
        for (int z = 0; z < D; z++) {
            v.copyPlane(z, p);
            assertThat(p).containsExactly(Fixtures.plane(expected, z, W, H));
        }
    }

    @Test
    void shouldReadAStackFromSliceFilesInNaturalOrder() throws Exception {
        List<java.nio.file.Path> files = new ArrayList<>();
        for (int z = 4; z >= 0; z--) {
            files.add(Fixtures.path("io/slice_0" + z + ".png"));
        }
        Volume v = VolumeReader.readSlices(VolumeReader.naturalOrder(files), ReadLimits.defaults());
        assertThat(v.dataType()).isEqualTo(DataType.UINT8);
        assertSamples(v, u -> u);
    }

    @Test
    void shouldOrderNumberedNamesNaturally() {
        List<java.nio.file.Path> files = List.of(java.nio.file.Path.of("img10.png"), java.nio.file.Path.of("img2.png"),
                java.nio.file.Path.of("img1.png"), java.nio.file.Path.of("img002.png"));
        assertThat(VolumeReader.naturalOrder(files)).extracting(java.nio.file.Path::toString)
                .containsExactly("img1.png", "img002.png", "img2.png", "img10.png");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stack_u8_tiled.tif", "stack_u16_imagej_1ifd.tif", "stack_f32.mrc", "slice_u16.png"})
    void shouldReadHeaderWithoutDecodingThatMatchesTheVolume(String name) throws Exception {
        VolumeHeader h = VolumeReader.header(Fixtures.path("io/" + name), ReadLimits.defaults());
        Volume v = read("io/" + name);
        assertThat(h.width()).isEqualTo(v.width());
        assertThat(h.height()).isEqualTo(v.height());
        assertThat(h.depth()).isEqualTo(v.depth());
        assertThat(h.dataType()).isEqualTo(v.dataType());
        assertThat(h.voxelSize()).isEqualTo(v.voxelSize());
        assertThat(h.decodedBytes()).isEqualTo(4L * v.width() * v.height() * v.depth());
    }

    @Test
    void shouldSniffFormatsFromContent() {
        assertThat(ImageFormat.sniff(Fixtures.bytes("io/slice_u8.png"))).contains(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(Fixtures.bytes("io/stack_u8.tif"))).contains(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff(Fixtures.bytes("io/stack_u8_bigtiff.tif"))).contains(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff(Fixtures.bytes("io/stack_u8_bigendian.tif"))).contains(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff(Fixtures.bytes("io/stack_f32.mrc"))).contains(ImageFormat.MRC);
        assertThat(ImageFormat.sniff("GIF89a........".getBytes())).isEmpty();
        assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
    }
}
