package org.zooscope.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.zooscope.core.io.PlaneEncoding;
import org.zooscope.core.volume.DataType;

class PlaneCodecTest {
    private static final float[] EIGHT_BIT = {0, 1, 127, 255};
    private static final float[] SIXTEEN_BIT = {0, 300, 40000, 65535};

    @Test
    void aKeyNamesItsPlanesEncoding() {
        assertThat(StorageKeys.Jobs.enhancedInput("j", 3)).isEqualTo("jobs/j/input/3.f32");
        assertThat(StorageKeys.Jobs.input("j", 3, PlaneEncoding.storing(DataType.UINT8))).isEqualTo("jobs/j/input/3.uint8le");
        assertThat(StorageKeys.Jobs.input("j", 3, PlaneEncoding.storing(DataType.FLOAT32))).isEqualTo("jobs/j/input/3.f32");
        assertThat(PlaneCodec.encodingOf("jobs/j/input/3.uint16le")).isEqualTo(new PlaneEncoding("uint16le"));
    }

    @Test
    void planesInTheirOwnTypeTakeTheirBytesAndComeBackExactly() {
        String u8 = StorageKeys.Jobs.input("j", 0, PlaneEncoding.storing(DataType.UINT8));
        byte[] bytes = PlaneCodec.encode(u8, EIGHT_BIT);
        assertThat(bytes).hasSize(4);
        assertThat(PlaneCodec.decode(u8, bytes, 4)).containsExactly(EIGHT_BIT);
        String u16 = StorageKeys.Jobs.input("j", 0, PlaneEncoding.storing(DataType.UINT16));
        assertThat(PlaneCodec.encode(u16, SIXTEEN_BIT)).hasSize(8);
        assertThat(PlaneCodec.decode(u16, PlaneCodec.encode(u16, SIXTEEN_BIT), 4)).containsExactly(SIXTEEN_BIT);
        float[] enhanced = {0.25f, -1.5f, 3.75f};
        String f32 = StorageKeys.Jobs.enhancedInput("j", 0);
        assertThat(PlaneCodec.encode(f32, enhanced)).isEqualTo(PlaneCodec.encode(enhanced));
        assertThat(PlaneCodec.decode(f32, PlaneCodec.encode(f32, enhanced), 3)).containsExactly(enhanced);
    }

    @Test
    void aPlaneOfTheWrongSizeIsNamed() {
        String u8 = "jobs/j/input/0.uint8le";
        assertThatThrownBy(() -> PlaneCodec.decode(u8, new byte[5], 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(u8).hasMessageContaining("4 uint8le samples");
    }
}
