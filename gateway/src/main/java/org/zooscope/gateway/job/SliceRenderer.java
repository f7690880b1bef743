package org.zooscope.gateway.job;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.zooscope.core.render.DisplayRange;
import org.zooscope.core.render.OverlayLayer;
import org.zooscope.core.render.OverlayRenderer;
import org.zooscope.core.render.OverlayStyle;

/**
 * Turns float planes into PNGs a browser can show: the input with a robust contrast stretch, probabilities through a
 * perceptually ordered colour map (or each structure in its colour), and the overlay (input in grey, each structure
 * in its colour where its probability reaches the threshold, blended with the given opacity; core's overlay
 * renderer, as the stored overlays). Stateless.
 */
public final class SliceRenderer {
    /** Colour-map stops (dark violet → magenta → orange → pale yellow), a simplified "magma". */
    private static final int[][] STOPS = {{0, 0, 4}, {80, 18, 123}, {183, 55, 121}, {251, 135, 97}, {252, 253, 191}};

    private SliceRenderer() {
    }

    public static byte[] input(float[] plane, int w, int h) {
        float[] lohi = percentiles(plane);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            px[i] = (byte) gray(plane[i], lohi);
        }
        return png(img);
    }

    /** One structure's probabilities and its colour (0xRRGGBB). */
    record Layer(float[] probabilities, int rgb) {
    }

    /**
     * Probabilities as colour: one structure through the colour map, several each in its own colour scaled by its
     * probability (channel-wise maximum, so overlapping structures stay visible).
     */
    static byte[] probability(List<Layer> layers, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
        if (layers.size() == 1) {
            float[] prob = layers.get(0).probabilities();
            for (int i = 0; i < w * h; i++) {
                px[i] = colourMap(prob[i]);
            }
            return png(img);
        }
        for (int i = 0; i < w * h; i++) {
            int r = 0;
            int g = 0;
            int b = 0;
            for (Layer l : layers) {
                float p = l.probabilities()[i];
                double t = Float.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
                r = Math.max(r, (int) Math.round(t * ((l.rgb() >> 16) & 0xFF)));
                g = Math.max(g, (int) Math.round(t * ((l.rgb() >> 8) & 0xFF)));
                b = Math.max(b, (int) Math.round(t * (l.rgb() & 0xFF)));
            }
            px[i] = (r << 16) | (g << 8) | b;
        }
        return png(img);
    }

    /** The input in grey with each structure's mask (probability at or above the threshold) blended in its colour. */
    static byte[] overlay(float[] plane, List<Layer> layers, int w, int h, double threshold, double opacity) {
        float[] lohi = percentiles(plane);
        List<OverlayLayer> styles = new ArrayList<>();
        List<float[]> probs = new ArrayList<>();
        // a hard edge at the threshold: strength 0 just below it, 1 at it
        double low = Math.max(-1e-6, threshold - 1e-6);
        for (Layer l : layers) {
            styles.add(new OverlayLayer(l.rgb(), opacity, low, low + 1e-6));
            probs.add(l.probabilities());
        }
        if (layers.isEmpty()) {
            return input(plane, w, h);
        }
        int[] rgb = OverlayRenderer.renderRgb(plane, w, h, new DisplayRange(lohi[0], lohi[1]), probs,
                OverlayStyle.alpha(styles));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return png(img);
    }

    private static int gray(float v, float[] lohi) {
        double t = (v - lohi[0]) / Math.max(1e-12, lohi[1] - lohi[0]);
        return (int) Math.round(255 * Math.max(0, Math.min(1, t)));
    }

    private static int colourMap(float p) {
        double t = Math.max(0, Math.min(1, Float.isFinite(p) ? p : 0)) * (STOPS.length - 1);
        int k = Math.min(STOPS.length - 2, (int) t);
        double f = t - k;
        int r = (int) Math.round(STOPS[k][0] + f * (STOPS[k + 1][0] - STOPS[k][0]));
        int g = (int) Math.round(STOPS[k][1] + f * (STOPS[k + 1][1] - STOPS[k][1]));
        int b = (int) Math.round(STOPS[k][2] + f * (STOPS[k + 1][2] - STOPS[k][2]));
        return (r << 16) | (g << 8) | b;
    }

    /**
     * The 0.5th and 99.5th percentiles from a 4096-bin histogram: a few saturated pixels (a dust speck, a dead
     * column) would otherwise make the whole slice look flat.
     */
    static float[] percentiles(float[] plane) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : plane) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        if (!(max > min)) {
            return new float[] {min, min + 1};
        }
        int bins = 4096;
        int[] hist = new int[bins];
        double scale = (bins - 1) / (double) (max - min);
        for (float f : plane) {
            hist[(int) ((f - min) * scale)]++;
        }
        long lowCount = (long) (plane.length * 0.005);
        long highCount = (long) (plane.length * 0.995);
        int lo = 0;
        int hi = bins - 1;
        long acc = 0;
        for (int i = 0; i < bins; i++) {
            acc += hist[i];
            if (acc > lowCount) {
                lo = i;
                break;
            }
        }
        acc = 0;
        for (int i = 0; i < bins; i++) {
            acc += hist[i];
            if (acc >= highCount) {
                hi = i;
                break;
            }
        }
        float l = (float) (min + lo / scale);
        float hgh = (float) (min + (hi + 1) / scale);
        return hgh > l ? new float[] {l, hgh} : new float[] {min, max};
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
