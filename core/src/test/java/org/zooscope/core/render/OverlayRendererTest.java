package org.zooscope.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.zooscope.core.volume.DataType;

class OverlayRendererTest {

    private static int[] rgb(int px) {
        return new int[] {(px >> 16) & 0xFF, (px >> 8) & 0xFF, px & 0xFF};
    }

    @Test
    void shouldReproduceCdeep3mGreenLook() {
        float[] raw = {255, 0, 0, 117.5f};
        float[] prob = {0, 1, 0.1f, 0.5f};
        int[] px = OverlayRenderer.renderRgb(raw, 4, 1, DisplayRange.of(DataType.UINT8), List.of(prob),
                OverlayStyle.cdeep3m());
        // white raw, nothing segmented: 0.6 * 255, then 0..225 stretched to 0..255
        assertThat(rgb(px[0])).containsExactly(173, 173, 173);
        // black raw, certain: 0.4 * 255 green, stretched
        assertThat(rgb(px[1])).containsExactly(0, 116, 0);
        // below CDeep3M's 40/255 window: nothing drawn
        assertThat(rgb(px[2])).containsExactly(0, 0, 0);
        // mid grey, half-way probability: more green than red, red == blue
        int[] mid = rgb(px[3]);
        assertThat(mid[1]).isGreaterThan(mid[0]);
        assertThat(mid[0]).isEqualTo(mid[2]);
    }

    @Test
    void shouldDrawEachStructureInItsOwnColour() {
        float[] raw = {100, 100, 100};
        float[] mito = {1, 0, 0};
        float[] membrane = {0, 1, 0};
        OverlayStyle style = OverlayStyle.alpha(List.of(OverlayLayer.of(0xFF0000, 1.0), OverlayLayer.of(0x0000FF, 0.5)));
        int[] px = OverlayRenderer.renderRgb(raw, 3, 1, DisplayRange.of(DataType.UINT8), List.of(mito, membrane),
                style);
        assertThat(rgb(px[0])).containsExactly(255, 0, 0);
        assertThat(rgb(px[1])).containsExactly(50, 50, 178);
        assertThat(rgb(px[2])).containsExactly(100, 100, 100); // unsegmented pixels show the raw image unchanged
    }

    @Test
    void shouldShowPlainGreyAtZeroOpacity() {
        float[] raw = {0, 50, 200};
        float[] p = {1, 1, 1};
        OverlayStyle s = OverlayStyle.alpha(List.of(OverlayLayer.of(0x00FF00, 0)));
        int[] px = OverlayRenderer.renderRgb(raw, 3, 1, DisplayRange.of(DataType.UINT8), List.of(p), s);
        assertThat(rgb(px[1])).containsExactly(50, 50, 50);
        assertThat(rgb(OverlayRenderer.renderRgb(raw, 3, 1, DisplayRange.of(DataType.UINT8), List.of(p),
                OverlayStyle.cdeep3m().withColour(0xFF00FF, 0.4))[0])).containsExactly(116, 0, 116);
    }

    @Test
    void shouldMapRawThroughTheDisplayRange() {
        float[] raw = {1000, 3000, 5000};
        float[] p = {0, 0, 0};
        OverlayStyle s = OverlayStyle.alpha(List.of(OverlayLayer.of(0x00FF00, 1)));
        int[] px = OverlayRenderer.renderRgb(raw, 3, 1, new DisplayRange(1000, 5000), List.of(p), s);
        assertThat(rgb(px[0])[0]).isZero();
        assertThat(rgb(px[1])[0]).isEqualTo(128);
        assertThat(rgb(px[2])[0]).isEqualTo(255);
    }

    @Test
    void shouldWriteAReadablePng() throws Exception {
        float[] raw = new float[40 * 30];
        float[] p = new float[40 * 30];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = i % 256;
            p[i] = (i / 40) > 15 ? 1 : 0;
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        OverlayRenderer.writePng(raw, 40, 30, DisplayRange.of(DataType.UINT8), List.of(p), OverlayStyle.cdeep3m(), o);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(o.toByteArray()));
        assertThat(img.getWidth()).isEqualTo(40);
        assertThat(img.getHeight()).isEqualTo(30);
        int[] bottom = rgb(img.getRGB(0, 29));
        assertThat(bottom[1]).isGreaterThan(bottom[0]);
    }

    @Test
    void shouldRefuseMismatchedLayers() {
        assertThatThrownBy(() -> OverlayRenderer.renderRgb(new float[4], 2, 2, DisplayRange.of(DataType.UINT8),
                List.of(new float[4], new float[4]), OverlayStyle.cdeep3m())).hasMessageContaining("2 probability");
        assertThatThrownBy(() -> new OverlayLayer(0, 1.5, 0, 1)).hasMessageContaining("1.5");
    }
}
