package org.zooscope.core.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

/** Reads stores written by zarr-python 2.13 (src/test/python/make_zarr_fixtures.py). */
class ZarrReaderCompatibilityTest {

    private static final float[] U8 = Fixtures.u8("io/expected_u8.raw");

    private static float[] region(float[] chunk, int[] chunks, int z, int y, int x) {
        return new float[] {chunk[(z * chunks[1] + y) * chunks[2] + x]};
    }

    @Test
    void shouldReadZlibChunksWithDotKeys() throws Exception {
        DirectoryStore s = new DirectoryStore(Fixtures.path("zarr/u16_dot.zarr"));
        ZarrArray a = ZarrArray.open(s, "");
        assertThat(a.meta().shape()).containsExactly(5, 48, 64);
        assertThat(a.meta().separator()).isEqualTo(".");
        assertThat(a.meta().dtype()).isEqualTo(ZarrDtype.UINT16);
        // chunk (2, 1, 2) covers z 4, y 20..39, x 60..63 (+ padding)
        float[] c = a.readChunk(s, new int[] {2, 1, 2});
        int[] ch = a.meta().chunks();
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 4; x++) {
                float want = U8[(4 * 48 + 20 + y) * 64 + 60 + x] * 16 + 1000;
                assertThat(region(c, ch, 0, y, x)[0]).isEqualTo(want);
            }
        }
    }

    @Test
    void shouldReadGzipChunksAndFillMissingOnes() throws Exception {
        DirectoryStore s = new DirectoryStore(Fixtures.path("zarr/f32_gzip.zarr"));
        ZarrArray a = ZarrArray.open(s, "");
        assertThat(a.meta().compressor()).isEqualTo(Compressor.gzip(5));
        assertThat(a.meta().fillValue()).isEqualTo(-1.0);
        float[] c0 = a.readChunk(s, new int[] {1, 1, 1});
        assertThat(c0[0]).isEqualTo((float) (U8[(48 + 32) * 64 + 32] / 255.0));
        assertThat(a.readChunk(s, new int[] {4, 0, 0})).containsOnly(-1f);
    }

    @Test
    void shouldReadAnOmeNgffImageWithItsVoxelSize() throws Exception {
        DirectoryStore s = new DirectoryStore(Fixtures.path("zarr/ome.zarr"));
        assertThat(OmeZarr.levels(s, "")).isEqualTo(1);
        FloatVolume v = OmeZarr.readImage(s, "", 0, 1 << 20);
        assertThat(v.dataType()).isEqualTo(DataType.UINT8);
        assertThat(v.depth()).isEqualTo(5);
        for (int z = 0; z < 5; z++) {
            assertThat(v.plane(z)).containsExactly(Fixtures.plane(U8, z, 64, 48));
        }
        VoxelSize vs = v.voxelSize();
        assertThat(vs.unit()).isEqualTo("nm");
        assertThat(vs.x()).isCloseTo(5.9, within(1e-12));
        assertThat(vs.z()).isEqualTo(40.0);
    }
}
