package org.zooscope.core.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Renders one slice as an RGB overlay of structure probabilities on the raw image, and writes it as PNG. Probabilities
 * are floats in [0, 1] (one plane per structure, in the order of the style's layers). Stateless and thread-safe;
 * returns new arrays and images.
 */
public final class OverlayRenderer {

    private OverlayRenderer() {
    }

    /**
     * Packed 0xRRGGBB pixels, row-major.
     *
     * @param raw           raw plane, {@code w × h}
     * @param range         display range of the raw samples
     * @param probabilities one plane per layer of {@code style}
     */
    public static int[] renderRgb(float[] raw, int w, int h, DisplayRange range, List<float[]> probabilities,
            OverlayStyle style) {
        Objects.requireNonNull(range, "range");
        int n = w * h;
        if (raw.length < n) {
            throw new IllegalArgumentException("raw plane has " + raw.length + " samples, needs " + n);
        }
        if (probabilities.size() != style.layers().size()) {
            throw new IllegalArgumentException(probabilities.size() + " probability planes for "
                    + style.layers().size() + " layers");
        }
        for (float[] p : probabilities) {
            if (p.length < n) {
                throw new IllegalArgumentException("probability plane has " + p.length + " samples, needs " + n);
            }
        }
        int layers = probabilities.size();
        double[][] colour = new double[layers][3];
        for (int k = 0; k < layers; k++) {
            int c = style.layers().get(k).rgb();
            colour[k][0] = (c >> 16) & 0xFF;
            colour[k][1] = (c >> 8) & 0xFF;
            colour[k][2] = c & 0xFF;
        }
        double outScale = 1 / style.outputHigh();
        boolean additive = style.mode() == OverlayStyle.Mode.ADDITIVE;
        int[] out = new int[n];
        double[] rgb = new double[3];
        for (int i = 0; i < n; i++) {
            double g = Math.min(1, range.unit(raw[i]) / style.rawHigh()) * 255;
            if (additive) {
                rgb[0] = style.rawWeight() * g;
                rgb[1] = rgb[0];
                rgb[2] = rgb[0];
                for (int k = 0; k < layers; k++) {
                    OverlayLayer l = style.layers().get(k);
                    double a = l.opacity() * l.strength(probabilities.get(k)[i]);
                    rgb[0] += a * colour[k][0];
                    rgb[1] += a * colour[k][1];
                    rgb[2] += a * colour[k][2];
                }
            } else {
                rgb[0] = g;
                rgb[1] = g;
                rgb[2] = g;
                for (int k = 0; k < layers; k++) {
                    OverlayLayer l = style.layers().get(k);
                    double a = l.opacity() * l.strength(probabilities.get(k)[i]);
                    rgb[0] = rgb[0] * (1 - a) + a * colour[k][0];
                    rgb[1] = rgb[1] * (1 - a) + a * colour[k][1];
                    rgb[2] = rgb[2] * (1 - a) + a * colour[k][2];
                }
            }
            out[i] = (clamp8(rgb[0] * outScale) << 16) | (clamp8(rgb[1] * outScale) << 8) | clamp8(rgb[2] * outScale);
        }
        return out;
    }

    /** The overlay as an RGB image. */
    public static BufferedImage render(float[] raw, int w, int h, DisplayRange range, List<float[]> probabilities,
            OverlayStyle style) {
        return Images.rgb(renderRgb(raw, w, h, range, probabilities, style), w, h);
    }

    /** Writes the overlay as a PNG to {@code out} (flushed, not closed). */
    public static void writePng(float[] raw, int w, int h, DisplayRange range, List<float[]> probabilities,
            OverlayStyle style, OutputStream out) throws IOException {
        Images.writePng(render(raw, w, h, range, probabilities, style), out);
    }

    /** Writes already rendered pixels ({@link #renderRgb}) as a PNG, for callers that reuse them (a thumbnail). */
    public static void writePng(int[] rgb, int w, int h, OutputStream out) throws IOException {
        Images.writePng(Images.rgb(rgb, w, h), out);
    }

    static int clamp8(double v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 255 ? 255 : (int) Math.rint(v);
    }

    /** Shared image helpers. */
    static final class Images {
        private Images() {
        }

        static BufferedImage rgb(int[] px, int w, int h) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            // straight into the raster: setRGB converts every pixel through the colour model (a tenth of a slice's
            // assembly time)
            int[] data = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
            System.arraycopy(px, 0, data, 0, w * h);
            return img;
        }

        /** PNG through an in-memory image stream (ImageIO's default would spool to a temp file). */
        static void writePng(BufferedImage img, OutputStream out) throws IOException {
            java.util.Iterator<javax.imageio.ImageWriter> it = ImageIO.getImageWritersByFormatName("png");
            if (!it.hasNext()) {
                throw new IOException("no PNG writer available");
            }
            javax.imageio.ImageWriter w = it.next();
            try (javax.imageio.stream.ImageOutputStream ios =
                    new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
                w.setOutput(ios);
                // Deflate level 1 (quality 0.85 in the JDK's mapping): overlays are written for every slice of
                // every job, and level 1 is several times faster than the default for ~10 % more bytes
                javax.imageio.ImageWriteParam param = w.getDefaultWriteParam();
                param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.85f);
                w.write(null, new javax.imageio.IIOImage(img, null, null), param);
            } finally {
                w.dispose();
            }
            out.flush();
        }
    }
}
