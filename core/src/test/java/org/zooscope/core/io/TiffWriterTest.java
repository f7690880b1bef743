package org.zooscope.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

class TiffWriterTest {

    @TempDir
    Path dir;

    private static FloatVolume probabilities(int w, int h, int d) {
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] p = new float[w * h];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) Math.sin(i * 0.37 + z) * 1000.5f - 0.25f * z;
            }
            planes.add(p);
        }
        return new FloatVolume(w, h, planes, DataType.FLOAT32, new VoxelSize(5.9, 5.9, 40, "nm"));
    }

    private Volume roundTrip(byte[] tiff) throws Exception {
        Path p = dir.resolve("out.tif");
        Files.write(p, tiff);
        return VolumeReader.read(p, ReadLimits.defaults());
    }

    @ParameterizedTest
    @EnumSource(TiffWriter.Compression.class)
    void shouldRoundTripFloat32ExactlyWithCalibration(TiffWriter.Compression c) throws Exception {
        FloatVolume v = probabilities(37, 300, 3); // odd width, several strips
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        TiffWriter.writeFloat32(v, o, c);
        Volume back = roundTrip(o.toByteArray());
        assertThat(back.dataType()).isEqualTo(DataType.FLOAT32);
        assertThat(back.depth()).isEqualTo(3);
        for (int z = 0; z < 3; z++) {
            float[] p = new float[37 * 300];
            back.copyPlane(z, p);
            assertThat(p).containsExactly(v.plane(z));
        }
        assertThat(back.voxelSize().unit()).isEqualTo("nm");
        assertThat(back.voxelSize().x()).isCloseTo(5.9, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(back.voxelSize().z()).isEqualTo(40.0);
    }

    @Test
    void shouldWriteUint8RoundedAndClamped() throws Exception {
        float[] p = {-3f, 0.49f, 0.5f, 1.5f, 2.5f, 254.6f, 300f, Float.NaN, 17f};
        FloatVolume v = new FloatVolume(3, 3, List.of(p), DataType.FLOAT32, VoxelSize.unknown());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        TiffWriter.writeUint8(v, o);
        Volume back = VolumeReader.read(write(o.toByteArray()), ReadLimits.defaults().withMinSide(2));
        float[] r = new float[9];
        back.copyPlane(0, r);
        assertThat(back.dataType()).isEqualTo(DataType.UINT8);
        // half-to-even like numpy.rint: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2
        assertThat(r).containsExactly(0f, 0f, 0f, 2f, 2f, 255f, 255f, 0f, 17f);
        assertThat(back.voxelSize()).isEqualTo(VoxelSize.unknown());
    }

    private Path write(byte[] b) throws Exception {
        Path p = dir.resolve("u8.tif");
        Files.write(p, b);
        return p;
    }

    @Test
    void shouldBeReadableByTheJdkAndTwelveMonkeysReaders() throws Exception {
        FloatVolume v = probabilities(40, 20, 4);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        TiffWriter.writeFloat32(v, o);
        byte[] bytes = o.toByteArray();
        List<ImageReader> readers = new ArrayList<>();
        readers.add(new TIFFImageReaderSpi().createReaderInstance());
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff");
        while (it.hasNext()) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.")) {
                readers.add(r);
            }
        }
        assertThat(readers).hasSize(2);
        for (ImageReader r : readers) {
            try (ImageInputStream in = new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
                r.setInput(in);
                assertThat(r.getNumImages(true)).as(r.getClass().getName()).isEqualTo(4);
                for (int z = 0; z < 4; z++) {
                    Raster ras = r.canReadRaster() ? r.readRaster(z, null) : r.read(z).getRaster();
                    float[] s = ras.getSamples(0, 0, 40, 20, 0, (float[]) null);
                    assertThat(s).as(r.getClass().getName() + " page " + z).containsExactly(v.plane(z));
                }
            } finally {
                r.dispose();
            }
        }
    }

    @Test
    void shouldWriteDeflateSmallerThanRawForSegmentations() throws Exception {
        float[] p = new float[256 * 256];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i / 256) > 100 ? 255 : 0;
        }
        FloatVolume v = new FloatVolume(256, 256, List.of(p), DataType.UINT8, VoxelSize.unknown());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        TiffWriter.writeUint8(v, raw, TiffWriter.Compression.NONE);
        TiffWriter.writeUint8(v, z, TiffWriter.Compression.DEFLATE);
        assertThat(raw.size()).isGreaterThan(256 * 256);
        assertThat(z.size()).isLessThan(raw.size() / 20);
    }
}
