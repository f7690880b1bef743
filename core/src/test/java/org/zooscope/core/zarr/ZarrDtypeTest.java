package org.zooscope.core.zarr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Writing a chunk's samples at once gives the bytes of writing them one by one, for every type and byte order. */
class ZarrDtypeTest {
    private static final float[] SAMPLES = {0, 1, 2.5f, 3.5f, -0.5f, -1, 254.5f, 255, 256, 300.7f, 65534.5f, 65535,
        65536, 1e9f, -1e9f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 12345.49f, 0.5f, 1.5f};

    @Test
    void writeAllEqualsWriteForEveryType() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (char kind : new char[] {'u', 'i'}) {
                for (int size : new int[] {1, 2, 4, 8}) {
                    check(new ZarrDtype(kind, size, order));
                }
            }
            check(new ZarrDtype('f', 4, order));
            check(new ZarrDtype('f', 8, order));
        }
    }

    private static void check(ZarrDtype t) {
        ByteBuffer one = ByteBuffer.allocate(SAMPLES.length * t.size()).order(t.order());
        for (float v : SAMPLES) {
            t.write(one, v);
        }
        ByteBuffer all = ByteBuffer.allocate(SAMPLES.length * t.size()).order(t.order());

        t.writeAll(SAMPLES, all);

        assertThat(all.position()).as(t.typestr()).isEqualTo(one.position());
        assertThat(all.array()).as(t.typestr()).isEqualTo(one.array());
    }
}
