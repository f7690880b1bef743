package org.zooscope.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.io.VolumeHeader;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

class StoredObjectSourceTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @Test
    void readsAnyRangeExactlyAsStoredSmallReadsFromBlocksLargeReadsDirect() throws Exception {
        byte[] bytes = new byte[3 * StoredObjectSource.BLOCK_BYTES + 12345];
        new Random(7).nextBytes(bytes);
        store.put("k", bytes, "application/octet-stream");
        Random r = new Random(11);
        try (StoredObjectSource s = StoredObjectSource.open(store, "k")) {
            assertThat(s.size()).isEqualTo(bytes.length);
            for (int i = 0; i < 300; i++) {
                int len = i % 3 == 0 ? StoredObjectSource.BLOCK_BYTES + r.nextInt(1000) : 1 + r.nextInt(5000);
                long pos = r.nextInt(bytes.length - len);
                ByteBuffer dst = ByteBuffer.allocate(len);
                while (dst.hasRemaining()) {
                    int n = s.read(pos + dst.position(), dst);
                    assertThat(n).isPositive();
                }
                byte[] expected = java.util.Arrays.copyOfRange(bytes, (int) pos, (int) pos + len);
                assertThat(dst.array()).as("bytes %d..%d", pos, pos + len).isEqualTo(expected);
            }
            assertThat(s.read(bytes.length, ByteBuffer.allocate(10))).isEqualTo(-1);
            ByteBuffer tail = ByteBuffer.allocate(100);
            assertThat(s.read(bytes.length - 10, tail)).isEqualTo(10);
        }
    }

    @Test
    void aMissingObjectIsNoSuchFile() {
        assertThatThrownBy(() -> StoredObjectSource.open(store, "nothing")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aStackDecodedFromTheStoreEqualsTheSameStackDecodedFromDisk() throws Exception {
        int w = 300;
        int h = 220;
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < 4; z++) {
            float[] p = new float[w * h];
            for (int i = 0; i < p.length; i++) {
                p[i] = (i * 31 + z * 17) % 256;
            }
            planes.add(p);
        }
        for (TiffWriter.Compression c : TiffWriter.Compression.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TiffWriter.writeUint8(new FloatVolume(w, h, planes, DataType.UINT8, VoxelSize.unknown()), out, c);
            store.put("uploads/u/source/0-stack.tif", out.toByteArray(), "application/octet-stream");
            List<float[]> read = new ArrayList<>();
            VolumeHeader header = VolumeReader.readEachSource(
                    List.of(StoredObjectSource.slice(store, "uploads/u/source/0-stack.tif", "stack.tif")),
                    ReadLimits.defaults(), (z, plane) -> read.add(plane.clone()));
            assertThat(header.depth()).isEqualTo(4);
            assertThat(read).hasSize(4);
            for (int z = 0; z < 4; z++) {
                assertThat(read.get(z)).as("plane %d, %s", z, c).containsExactly(planes.get(z));
            }
        }
    }

    @Test
    void aPngDecodedThroughImageIoFromTheStoreKeepsItsValues() throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(640, 480,
                java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                img.getRaster().setSample(x, y, 0, (x * 97 + y * 13) % 65536);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        store.put("p", out.toByteArray(), "image/png");
        float[][] got = new float[1][];
        VolumeReader.readEachSource(List.of(StoredObjectSource.slice(store, "p", "slice.png")), ReadLimits.defaults(),
                (z, plane) -> got[0] = plane.clone());
        assertThat(got[0]).hasSize(640 * 480);
        assertThat(got[0][479 * 640 + 639]).isEqualTo((639 * 97 + 479 * 13) % 65536);
        assertThat(got[0][640 + 5]).isEqualTo((5 * 97 + 13) % 65536);
    }

    @Test
    void errorsNameTheUsersFileNotTheKey() {
        store.put("uploads/u/source/0-cut.tif", new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1}, "application/octet-stream");
        assertThatThrownBy(() -> VolumeReader.readEachSource(
                List.of(StoredObjectSource.slice(store, "uploads/u/source/0-cut.tif", "cut.tif")),
                ReadLimits.defaults(), (z, plane) -> { }))
                .isInstanceOf(ImageReadException.class).hasMessageContaining("cut.tif")
                .hasMessageNotContaining("uploads/");
    }
}
