package org.zooscope.gateway.dataset;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zooscope.core.dataset.PyramidReader;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * Deep-zoom tiles for the viewer: tile {@code (col, row)} of pyramid level {@code level} of slice {@code z} is exactly
 * one chunk of that level (256 × 256, cropped at the image's right and bottom edges), so a tile costs one chunk read
 * and one PNG encode. Stateless.
 */
final class DatasetTiles {
    private static final Pattern TILE = Pattern.compile("(\\d{1,6})_(\\d{1,6})\\.png");
    /** Probabilities below this are not drawn. */
    static final float MIN_PROBABILITY = 0.1f;

    private DatasetTiles() {
    }

    /** A tile's place: slice, level, column and row, checked against the pyramid. */
    record Tile(int z, int level, int col, int row, int x, int y, int width, int height) {
    }

    /** Parses {@code {col}_{row}.png} and checks the tile is in the pyramid; 404 problems say what is not. */
    static Tile locate(PyramidReader pyramid, int levels, int z, int level, String name) {
        Matcher m = TILE.matcher(name);
        if (!m.matches()) {
            throw ApiProblem.notFound("tiles are named {col}_{row}.png, not '" + name + "'");
        }
        if (level < 0 || level >= levels) {
            throw ApiProblem.notFound("level " + level + " is not in the pyramid (levels 0.." + (levels - 1) + ")");
        }
        int[] shape;
        int[] chunks;
        try {
            shape = pyramid.shape(level);
            chunks = pyramid.chunks(level);
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof org.zooscope.core.zarr.ZarrFormatException) {
                throw ApiProblem.notFound("level " + level + " is not stored: " + e.getCause().getMessage());
            }
            throw e;
        }
        if (z < 0 || z >= shape[0]) {
            throw ApiProblem.notFound("slice " + z + " is not in the volume (0.." + (shape[0] - 1) + ")");
        }
        int col = Integer.parseInt(m.group(1));
        int row = Integer.parseInt(m.group(2));
        int cols = (shape[2] + chunks[2] - 1) / chunks[2];
        int rows = (shape[1] + chunks[1] - 1) / chunks[1];
        if (col >= cols || row >= rows) {
            throw ApiProblem.notFound("tile " + col + "_" + row + " is not in level " + level + " (" + cols + " x " + rows
                    + " tiles)");
        }
        int x = col * chunks[2];
        int y = row * chunks[1];
        return new Tile(z, level, col, row, x, y, Math.min(chunks[2], shape[2] - x), Math.min(chunks[1], shape[1] - y));
    }

    /** 8-bit grey: {@code min} maps to 0, {@code max} to 255, linear between, clamped. */
    static byte[] grey(PyramidReader pyramid, Tile t, double min, double max) {
        float[] v = pyramid.readBox(t.level(), t.x(), t.y(), t.z(), t.width(), t.height());
        byte[] g = new byte[v.length];
        double scale = 255.0 / (max - min);
        for (int i = 0; i < v.length; i++) {
            double s = (v[i] - min) * scale;
            g[i] = (byte) (s <= 0 || Double.isNaN(s) ? 0 : s >= 255 ? 255 : (int) (s + 0.5));
        }
        return TilePng.grey(g, t.width(), t.height());
    }

    /** RGBA in the structure's colour, alpha = probability (0 below {@link #MIN_PROBABILITY}). */
    static byte[] probability(PyramidReader pyramid, Tile t, int rgb) {
        float[] p = pyramid.readBox(t.level(), t.x(), t.y(), t.z(), t.width(), t.height());
        byte[] px = new byte[p.length * 4];
        byte r = (byte) (rgb >> 16);
        byte g = (byte) (rgb >> 8);
        byte b = (byte) rgb;
        for (int i = 0; i < p.length; i++) {
            float v = p[i];
            if (!(v >= MIN_PROBABILITY)) {
                continue;
            }
            px[4 * i] = r;
            px[4 * i + 1] = g;
            px[4 * i + 2] = b;
            px[4 * i + 3] = (byte) (v >= 1 ? 255 : (int) (v * 255 + 0.5));
        }
        return TilePng.rgba(px, t.width(), t.height());
    }
}
