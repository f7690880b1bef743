package org.zooscope.core.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Small previews: an image scaled down (never up) to fit {@code maxSide}, by exact area averaging (each output pixel
 * is the mean of the input area it covers, with fractional coverage at its borders), so fine structure averages
 * instead of aliasing. Stateless and thread-safe.
 */
public final class Thumbnails {

    private Thumbnails() {
    }

    /** Output size {@code {width, height}} for fitting {@code w × h} into {@code maxSide}, keeping the aspect. */
    public static int[] size(int w, int h, int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be >= 1 but was " + maxSide);
        }
        double f = Math.min(1.0, (double) maxSide / Math.max(w, h));
        return new int[] {Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f))};
    }

    /** Area-average downscale of a float plane to {@code tw × th}. */
    public static float[] downscale(float[] in, int w, int h, int tw, int th) {
        float[] tmp = new float[tw * h];
        double sx = (double) w / tw;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < tw; x++) {
                tmp[y * tw + x] = (float) area(in, y * w, 1, x * sx, (x + 1) * sx, w);
            }
        }
        float[] out = new float[tw * th];
        double sy = (double) h / th;
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                out[y * tw + x] = (float) area(tmp, x, tw, y * sy, (y + 1) * sy, h);
            }
        }
        return out;
    }

    /** Mean of samples {@code base + i·stride} over the continuous interval [a, b) of a line of n samples. */
    private static double area(float[] d, int base, int stride, double a, double b, int n) {
        double sum = 0;
        int i0 = (int) Math.floor(a);
        int i1 = Math.min(n - 1, (int) Math.ceil(b) - 1);
        for (int i = i0; i <= i1; i++) {
            double cover = Math.min(b, i + 1) - Math.max(a, i);
            if (cover > 0) {
                sum += cover * d[base + i * stride];
            }
        }
        return sum / (b - a);
    }

    /** An 8-bit grey thumbnail of a plane, fitted into {@code maxSide}. */
    public static BufferedImage grey(float[] plane, int w, int h, DisplayRange range, int maxSide) {
        int[] s = size(w, h, maxSide);
        float[] small = s[0] == w && s[1] == h ? plane : downscale(plane, w, h, s[0], s[1]);
        BufferedImage img = new BufferedImage(s[0], s[1], BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < s[0] * s[1]; i++) {
            px[i] = (byte) OverlayRenderer.clamp8(range.unit(small[i]) * 255);
        }
        return img;
    }

    /** An RGB thumbnail of packed 0xRRGGBB pixels (e.g. an overlay), fitted into {@code maxSide}. */
    public static BufferedImage rgb(int[] rgb, int w, int h, int maxSide) {
        int[] s = size(w, h, maxSide);
        float[][] ch = new float[3][w * h];
        for (int i = 0; i < w * h; i++) {
            ch[0][i] = (rgb[i] >> 16) & 0xFF;
            ch[1][i] = (rgb[i] >> 8) & 0xFF;
            ch[2][i] = rgb[i] & 0xFF;
        }
        int[] out = new int[s[0] * s[1]];
        float[][] small = new float[3][];
        for (int c = 0; c < 3; c++) {
            small[c] = downscale(ch[c], w, h, s[0], s[1]);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (OverlayRenderer.clamp8(small[0][i]) << 16) | (OverlayRenderer.clamp8(small[1][i]) << 8)
                    | OverlayRenderer.clamp8(small[2][i]);
        }
        return OverlayRenderer.Images.rgb(out, s[0], s[1]);
    }

    /** Writes any image as PNG (flushed, not closed). */
    public static void writePng(BufferedImage img, OutputStream out) throws IOException {
        OverlayRenderer.Images.writePng(img, out);
    }
}
