package org.zooscope.gateway.job;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Turns float planes into PNGs a browser can show: the input with a robust contrast stretch, probabilities through a
 * perceptually ordered colour map, and the overlay (input in grey, the structure in colour where the probability
 * reaches the threshold, blended with the given opacity). Stateless.
 */
final class SliceRenderer {
    /** Overlay colour: a saturated magenta that stands out on grey EM. */
    private static final int[] OVERLAY = {255, 40, 170};
    /** Colour-map stops (dark violet → magenta → orange → pale yellow), a simplified "magma". */
    private static final int[][] STOPS = {{0, 0, 4}, {80, 18, 123}, {183, 55, 121}, {251, 135, 97}, {252, 253, 191}};

    private SliceRenderer() {
    }

    static byte[] input(float[] plane, int w, int h) {
        float[] lohi = percentiles(plane);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            px[i] = (byte) gray(plane[i], lohi);
        }
        return png(img);
    }

    static byte[] probability(float[] prob, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            px[i] = colourMap(prob[i]);
        }
        return png(img);
    }

    static byte[] overlay(float[] plane, float[] prob, int w, int h, double threshold, double opacity) {
        float[] lohi = percentiles(plane);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            int g = gray(plane[i], lohi);
            if (prob[i] >= threshold) {
                int r = (int) Math.round(g * (1 - opacity) + OVERLAY[0] * opacity);
                int gg = (int) Math.round(g * (1 - opacity) + OVERLAY[1] * opacity);
                int b = (int) Math.round(g * (1 - opacity) + OVERLAY[2] * opacity);
                px[i] = (r << 16) | (gg << 8) | b;
            } else {
                px[i] = (g << 16) | (g << 8) | g;
            }
        }
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
