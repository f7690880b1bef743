package org.zooscope.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.zooscope.core.volume.DataType;

class PlaneEncodingTest {

    @Test
    void decodedPlanesAreStoredInTheirOwnTypeAndReadBackExactly() {
        float[] u8 = {0, 1, 127, 255};
        float[] u16 = {0, 255, 256, 4099, 65535};
        float[] f32 = {-1.5f, 0, 3.25e7f, Float.MIN_VALUE};

        for (var c : new Object[][] {{DataType.UINT8, u8, 1}, {DataType.UINT16, u16, 2}, {DataType.FLOAT32, f32, 4},
            {DataType.INT32, new float[] {-2147483648f, 0, 16777216f}, 4}}) {
            PlaneEncoding e = PlaneEncoding.storing((DataType) c[0]);
            float[] plane = (float[]) c[1];
            byte[] bytes = e.encode(plane);
            assertThat(bytes).hasSize(plane.length * (int) c[2]);
            float[] back = new float[plane.length];
            e.decode(bytes, 0, back, plane.length);
            assertThat(back).as("%s", c[0]).containsExactly(plane);
        }
    }

    @Test
    void bigEndianAndSignedSamplesDecodeByTheirName() {
        float[] out = new float[2];
        new PlaneEncoding("uint16be").decode(new byte[] {9, 1, 2, 0x10, 0}, 1, out, 2);
        assertThat(out).containsExactly(0x102, 0x1000);
        new PlaneEncoding("int16le").decode(new byte[] {(byte) 0xFE, (byte) 0xFF, 5, 0}, 0, out, 2);
        assertThat(out).containsExactly(-2, 5);
    }

    @Test
    void anUnknownEncodingIsRefusedByName() {
        assertThatThrownBy(() -> new PlaneEncoding("uint12le")).hasMessageContaining("'uint12le'");
        assertThatThrownBy(() -> new PlaneEncoding("uint16")).hasMessageContaining("'uint16'");
    }
}
