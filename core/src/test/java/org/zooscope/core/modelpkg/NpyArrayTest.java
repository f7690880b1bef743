package org.zooscope.core.modelpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class NpyArrayTest {

    @Test
    void writesAndReadsFloat32() throws IOException {
        NpyArray a = new NpyArray(new long[] {1, 2, 3}, new float[] {1, 2, 3, 4.5f, -5, 6});
        byte[] bytes = a.toBytes();
        assertThat((bytes.length - 6 * 4) % 64).isZero(); // header padded to 64 bytes as numpy does
        NpyArray back = NpyArray.read(bytes);
        assertThat(back.shape()).containsExactly(1, 2, 3);
        assertThat(back.data()).containsExactly(1, 2, 3, 4.5f, -5, 6);
    }

    @Test
    void rejectsTruncatedData() {
        byte[] bytes = new NpyArray(new long[] {4}, new float[] {1, 2, 3, 4}).toBytes();
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> NpyArray.read(cut)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void rejectsOtherFiles() {
        assertThatThrownBy(() -> NpyArray.read("PK\u0003\u0004 not npy".getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("magic");
    }
}
