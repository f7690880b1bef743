package org.zooscope.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.zooscope.core.volume.DataType;

class ThumbnailsTest {

    @Test
    void shouldFitTheLongerSideAndNeverUpscale() {
        assertThat(Thumbnails.size(1024, 768, 256)).containsExactly(256, 192);
        assertThat(Thumbnails.size(100, 60, 256)).containsExactly(100, 60);
        assertThat(Thumbnails.size(3000, 2, 100)).containsExactly(100, 1);
    }

    @Test
    void shouldAverageAreasExactly() {
        float[] in = {0, 2, 4, 6, 1, 3, 5, 7};      // 4 x 2
        float[] out = Thumbnails.downscale(in, 4, 2, 2, 1);
        assertThat(out).containsExactly(1.5f, 5.5f);
        float[] thirds = Thumbnails.downscale(new float[] {0, 3, 6}, 3, 1, 2, 1); // covers 1.5 samples each
        assertThat(thirds[0]).isCloseTo(1f, within(1e-6f));
        assertThat(thirds[1]).isCloseTo(5f, within(1e-6f));
    }

    @Test
    void shouldKeepAConstantImageConstant() {
        float[] c = new float[333 * 217];
        java.util.Arrays.fill(c, 42);
        BufferedImage t = Thumbnails.grey(c, 333, 217, DisplayRange.of(DataType.UINT8), 64);
        assertThat(t.getWidth()).isEqualTo(64);
        assertThat(t.getHeight()).isEqualTo(42);
        for (int y = 0; y < t.getHeight(); y++) {
            for (int x = 0; x < t.getWidth(); x++) {
                assertThat(t.getRaster().getSample(x, y, 0)).isEqualTo(42);
            }
        }
    }

    @Test
    void shouldDownscaleColourOverlays() {
        int[] rgb = new int[4 * 4];
        java.util.Arrays.fill(rgb, 0x00FF00);
        rgb[0] = 0xFF0000;
        BufferedImage t = Thumbnails.rgb(rgb, 4, 4, 2);
        assertThat(t.getRGB(0, 0) & 0xFFFFFF).isEqualTo((64 << 16) | (191 << 8));
        assertThat(t.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0x00FF00);
    }
}
