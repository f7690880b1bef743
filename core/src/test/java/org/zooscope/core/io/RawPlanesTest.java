package org.zooscope.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.Volume;

/**
 * Planes read in place ({@link VolumeReader#rawPlanes}) are exactly what decoding gives, for every committed format
 * variant; and only files whose every plane is one uncompressed run of samples offer them.
 */
class RawPlanesTest {

    @ParameterizedTest
    @CsvSource({
        "stack_u8.tif, uint8le", "stack_u8_bigendian.tif, uint8be", "stack_u8_bigtiff.tif, uint8le",
        "stack_u16_imagej.tif, uint16le", "stack_u16_imagej_1ifd.tif, uint16le",
        "stack_i16.tif, int16le", "stack_f32.tif, float32le", "stack_f32_ome.tif, float32le",
        "stack_f32.mrc, float32le", "stack_f32_bigendian.mrc, float32be", "stack_u16.mrc, uint16le",
        "stack_i16.mrc, int16le", "stack_i8.mrc, int8le", "stack_f16.mrc, float16le",
        // compressed, tiled, colour or PNG: decoded instead
        "stack_u8_deflate.tif, -", "stack_u16_bigendian.tif, -", "stack_i32.tif, -", "stack_u8_lzw.tif, -", "stack_u8_packbits.tif, -", "stack_u8_tiled.tif, -",
        "stack_u8_bigtiff_tiled.tif, -", "stack_f32_tiled.tif, -", "slice_rgb.tif, -", "slice_u8.png, -",
        "slice_u16.png, -"})
    void planesReadInPlaceEqualTheDecodedPlanes(String file, String encoding) throws Exception {
        Path path = Fixtures.path("io/" + file);
        List<SliceSource> files = List.of(SliceSource.of(path));
        VolumeHeader h = VolumeReader.checkHeaders(files, ReadLimits.defaults());

        Optional<RawPlanes> raw = VolumeReader.rawPlanes(files, ReadLimits.defaults());

        if (encoding.equals("-")) {
            assertThat(raw).isEmpty();
            return;
        }
        assertThat(raw).isPresent();
        assertThat(raw.get().encoding().name()).isEqualTo(encoding);
        assertThat(raw.get().planes()).hasSize(h.depth());
        Volume decoded = VolumeReader.read(path, ReadLimits.defaults());
        byte[] bytes = Files.readAllBytes(path);
        int n = h.width() * h.height();
        float[] expected = new float[n];
        float[] inPlace = new float[n];
        for (int z = 0; z < h.depth(); z++) {
            decoded.copyPlane(z, expected);
            raw.get().encoding().decode(bytes, (int) raw.get().planes().get(z).offset(), inPlace, n);
            assertThat(inPlace).as("plane %d", z).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"stack_u8.tif, stack_u8_bigendian.tif, -", "stack_u8.tif, stack_u8_bigtiff.tif, uint8le"})
    void aStackOfFilesIsReadInPlaceOnlyWhenAllShareOneEncoding(String a, String b, String encoding)
            throws IOException, ImageReadException {
        List<SliceSource> files = List.of(SliceSource.of(Fixtures.path("io/" + a)), SliceSource.of(Fixtures.path("io/" + b)));

        Optional<RawPlanes> raw = VolumeReader.rawPlanes(files, ReadLimits.defaults());

        if (encoding.equals("-")) {
            assertThat(raw).isEmpty();
        } else {
            assertThat(raw.orElseThrow().encoding().name()).isEqualTo(encoding);
            // numbered across the files, each plane naming its own file
            assertThat(raw.get().planes()).hasSize(10);
            assertThat(raw.get().planes().get(4).file()).isZero();
            assertThat(raw.get().planes().get(5).file()).isOne();
        }
    }
}
