package org.zooscope.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.io.ImageReadException.Kind;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.Volume;

/** Every refusal is typed and names the file, the slice and the limit. */
class VolumeReaderGuardRailsTest {

    @TempDir
    Path dir;

    private ImageReadException readFails(Path p, ReadLimits limits) {
        return catchThrowableOfType(() -> VolumeReader.read(p, limits), ImageReadException.class);
    }

    private ImageReadException readFails(Path p) {
        return readFails(p, ReadLimits.defaults());
    }

    private Path write(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void shouldRefuseEmptyFile() throws Exception {
        ImageReadException e = readFails(write("empty.tif", new byte[0]));
        assertThat(e.kind()).isEqualTo(Kind.EMPTY);
        assertThat(e.file()).isEqualTo("empty.tif");
        assertThat(e.getMessage()).contains("empty.tif").doesNotContain(dir.toString());
    }

    @Test
    void shouldRefuseUnknownMagic() throws Exception {
        ImageReadException e = readFails(write("photo.tif", "GIF89a this is not a tiff at all".getBytes()));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_FORMAT);
        assertThat(e.file()).isEqualTo("photo.tif");
    }

    @Test
    void shouldRefuseTruncatedTiffNamingTheSlice() throws Exception {
        // TiffWriter puts each page's directory before its data, so cutting the tail cuts the last page's pixels
        Volume v = VolumeReader.read(Fixtures.path("io/stack_u8.tif"), ReadLimits.defaults());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        TiffWriter.writeUint8(v, o, TiffWriter.Compression.NONE);
        byte[] full = o.toByteArray();
        ImageReadException e = readFails(write("cut.tif", Arrays.copyOf(full, full.length - 100)));
        assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(e.slice()).isEqualTo(4);
        assertThat(e.limit()).isEqualTo(full.length - 100L);
        assertThat(e.actual()).isEqualTo((long) full.length);
    }

    @Test
    void shouldRefuseCorruptDeflateDataNamingTheSlice() throws Exception {
        Volume v = VolumeReader.read(Fixtures.path("io/stack_u8.tif"), ReadLimits.defaults());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        TiffWriter.writeUint8(v, o, TiffWriter.Compression.DEFLATE);
        byte[] b = o.toByteArray();
        // the last page's strip is at the end of the file: overwrite its zlib stream with garbage
        for (int i = b.length - 40; i < b.length; i++) {
            b[i] = (byte) 0xA5;
        }
        ImageReadException e = readFails(write("bad.tif", b));
        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(e.slice()).isEqualTo(4);
    }

    @Test
    void shouldRefuseTiffWhoseDirectoriesAreCutOff() throws Exception {
        // tifffile writes the pixel data first and the directories at the end
        byte[] full = Fixtures.bytes("io/stack_u8.tif");
        ImageReadException e = readFails(write("cut.tif", Arrays.copyOf(full, full.length - 200)));
        assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(e.file()).isEqualTo("cut.tif");
    }

    @Test
    void shouldRefuseTruncatedCompressedTiff() throws Exception {
        byte[] full = Fixtures.bytes("io/stack_u8_deflate.tif");
        ImageReadException e = readFails(write("cut.tif", Arrays.copyOf(full, full.length - 100)));
        assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
    }

    @Test
    void shouldRefuseTruncatedPng() throws Exception {
        byte[] full = Fixtures.bytes("io/slice_u8.png");
        ImageReadException e = readFails(write("cut.png", Arrays.copyOf(full, full.length / 2)));
        assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(e.slice()).isZero();
    }

    @Test
    void shouldRefuseTruncatedMrcNamingTheFirstIncompleteSlice() throws Exception {
        byte[] full = Fixtures.bytes("io/stack_f32.mrc");
        int plane = 64 * 48 * 4;
        ImageReadException e = readFails(write("cut.mrc", Arrays.copyOf(full, full.length - plane - 7)));
        assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(e.slice()).isEqualTo(3);
        assertThat(e.limit()).isEqualTo((long) full.length);
    }

    @Test
    void shouldRefuseAbsurdTiffDimensionsBeforeAllocating() throws Exception {
        Path p = write("bomb.tif", tiff(100_000, 100_000, 8, false));
        ImageReadException e = readFails(p);
        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.limit()).isEqualTo(ReadLimits.DEFAULT_MAX_BYTES);
        assertThat(e.actual()).isEqualTo(100_000L * 100_000L * 4);
        assertThatThrownBy(() -> VolumeReader.header(p, ReadLimits.defaults())).isInstanceOf(ImageReadException.class);
    }

    @Test
    void shouldRefusePngDecompressionBombFromItsHeader() throws Exception {
        ImageReadException e = readFails(write("bomb.png", png(60_000, 60_000)));
        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.actual()).isEqualTo(60_000L * 60_000L * 4);
    }

    @Test
    void shouldRefuseAbsurdMrcHeader() throws Exception {
        ImageReadException e = readFails(write("huge.mrc", mrc(100_000, 100_000, 100_000, 2)));
        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    }

    @Test
    void shouldRefuseTooManyPlanes() throws Exception {
        ImageReadException e = readFails(Fixtures.path("io/stack_u8.tif"), new ReadLimits(1 << 30, 3));
        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.limit()).isEqualTo(3L);
    }

    @Test
    void shouldRefuseStackOverTheByteLimit() throws Exception {
        long limit = 64 * 48 * 4 * 4; // four planes of floats
        ImageReadException e = readFails(Fixtures.path("io/stack_u8.tif"), new ReadLimits(limit, 100));
        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.limit()).isEqualTo(limit);
        assertThat(e.actual()).isEqualTo(64L * 48 * 5 * 4);
    }

    @Test
    void shouldRefuseOneByOneImage() throws Exception {
        Path p = dir.resolve("dot.png");
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", p.toFile());
        ImageReadException e = readFails(p);
        assertThat(e.kind()).isEqualTo(Kind.TOO_SMALL);
        assertThat(e.limit()).isEqualTo((long) ReadLimits.DEFAULT_MIN_SIDE);
        assertThat(e.actual()).isEqualTo(1L);
    }

    @Test
    void shouldRefuseImagesBelowConfiguredMinimumSide() throws Exception {
        ImageReadException e = readFails(Fixtures.path("io/slice_u8.png"), ReadLimits.defaults().withMinSide(50));
        assertThat(e.kind()).isEqualTo(Kind.TOO_SMALL);
        assertThat(e.actual()).isEqualTo(48L);
    }

    @Test
    void shouldRefuseTiffPagesOfDifferentSizes() throws Exception {
        ImageReadException e = readFails(Fixtures.path("io/pages_mixed_sizes.tif"));
        assertThat(e.kind()).isEqualTo(Kind.INCONSISTENT_SLICES);
        assertThat(e.file()).isEqualTo("pages_mixed_sizes.tif");
        assertThat(e.slice()).isEqualTo(1);
    }

    @Test
    void shouldRefuseSliceFilesOfDifferentSizesNamingTheOddOne() throws Exception {
        Path odd = dir.resolve("slice_99.png");
        ImageIO.write(new BufferedImage(60, 48, BufferedImage.TYPE_BYTE_GRAY), "png", odd.toFile());
        List<Path> files = List.of(Fixtures.path("io/slice_00.png"), Fixtures.path("io/slice_01.png"), odd);
        ImageReadException e = catchThrowableOfType(() -> VolumeReader.readSlices(files, ReadLimits.defaults()),
                ImageReadException.class);
        assertThat(e.kind()).isEqualTo(Kind.INCONSISTENT_SLICES);
        assertThat(e.file()).isEqualTo("slice_99.png");
        assertThat(e.slice()).isEqualTo(2);
    }

    @Test
    void shouldRefuseSliceFilesOfDifferentBitDepths() throws Exception {
        List<Path> files = List.of(Fixtures.path("io/slice_00.png"), Fixtures.path("io/slice_u16.png"));
        ImageReadException e = catchThrowableOfType(() -> VolumeReader.readSlices(files, ReadLimits.defaults()),
                ImageReadException.class);
        assertThat(e.kind()).isEqualTo(Kind.INCONSISTENT_SLICES);
        assertThat(e.slice()).isEqualTo(1);
    }

    @Test
    void shouldRefuseEmptySliceList() {
        ImageReadException e = catchThrowableOfType(() -> VolumeReader.readSlices(List.of(), ReadLimits.defaults()),
                ImageReadException.class);
        assertThat(e.kind()).isEqualTo(Kind.EMPTY);
    }

    @Test
    void shouldCheckSliceFileLimitsBeforeDecodingAny() throws Exception {
        List<Path> files = List.of(Fixtures.path("io/slice_00.png"), Fixtures.path("io/slice_01.png"),
                Fixtures.path("io/slice_02.png"));
        ImageReadException e = catchThrowableOfType(() -> VolumeReader.readSlices(files, new ReadLimits(1 << 30, 2)),
                ImageReadException.class);
        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.file()).isEqualTo("slice_02.png");
    }

    @Test
    void shouldRefuseNaNAndInfinityNamingTheSliceAndCount() {
        ImageReadException e = readFails(Fixtures.path("io/stack_f32_nan.tif"));
        assertThat(e.kind()).isEqualTo(Kind.NON_FINITE);
        assertThat(e.slice()).isEqualTo(2);
        assertThat(e.actual()).isEqualTo(2L);
        assertThat(e.getMessage()).contains("x=5 y=7");
    }

    @Test
    void shouldRefuseLoopingTiffDirectoryChain() throws Exception {
        byte[] t = tiff(16, 16, 8, true);
        ImageReadException e = readFails(write("loop.tif", t));
        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
    }

    @Test
    void shouldRefuseComplexMrc() throws Exception {
        byte[] m = mrc(16, 16, 1, 4);
        byte[] withData = Arrays.copyOf(m, m.length + 16 * 16 * 8);
        ImageReadException e = readFails(write("complex.mrc", withData));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_DATA_TYPE);
        assertThat(e.actual()).isEqualTo(4L);
    }

    @Test
    void shouldRefuseMultiChannelStacks() {
        ImageReadException e = readFails(Fixtures.path("io/imagej_2channels.tif"));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_DATA_TYPE);
        assertThat(e.actual()).isEqualTo(2L);
    }

    @Test
    void shouldRefuseMissingFileAsEmpty() {
        ImageReadException e = readFails(dir.resolve("nope.tif"));
        assertThat(e.kind()).isEqualTo(Kind.EMPTY);
    }

    // ---- crafted files ----

    /** A classic little-endian TIFF with one uncompressed page and no pixel data after the directory. */
    static byte[] tiff(int w, int h, int bits, boolean loop) {
        int entries = 8;
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + entries * 12 + 4 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) entries);
        int dataOffset = 8 + 2 + entries * 12 + 4;
        entry(b, 256, 4, w);
        entry(b, 257, 4, h);
        entry(b, 258, 3, bits);
        entry(b, 259, 3, 1);
        entry(b, 262, 3, 1);
        entry(b, 273, 4, dataOffset);
        entry(b, 278, 4, h);
        entry(b, 279, 4, (int) Math.min(Integer.MAX_VALUE, (long) w * h * bits / 8));
        b.putInt(loop ? 8 : 0);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    /** A PNG whose IHDR declares {@code w × h} 8-bit grey with an empty IDAT. */
    static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(o, "IHDR", ihdr.array());
        chunk(o, "IDAT", new byte[] {0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(o, "IEND", new byte[0]);
        return o.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream o, String type, byte[] data) throws Exception {
        o.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes();
        o.write(t);
        o.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        o.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A 1024-byte little-endian MRC2014 header. */
    static byte[] mrc(int nx, int ny, int nz, int mode) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, nx).putInt(4, ny).putInt(8, nz).putInt(12, mode);
        b.putInt(28, nx).putInt(32, ny).putInt(36, nz);
        b.putInt(64, 1).putInt(68, 2).putInt(72, 3);
        b.put(208, (byte) 'M').put(209, (byte) 'A').put(210, (byte) 'P').put(211, (byte) ' ');
        b.put(212, (byte) 0x44).put(213, (byte) 0x44);
        return b.array();
    }
}
