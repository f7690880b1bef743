package org.zooscope.core.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * A larger volume made only of real slices: each slice is an {@code n × n} mirror mosaic of one single-plane image
 * file (tile {@code (col, row)} flipped horizontally when {@code col} is odd and vertically when {@code row} is odd, so
 * every seam joins a picture to its own mirror image), and z runs through the files forth and back when the volume is
 * deeper than there are files. Values become {@code value × scale + offset} (e.g. 8-bit EM as 12 bits inside 16).
 * Decodes one file per slice with the project's own readers; holds one slice at a time.
 */
public final class MosaicSlices implements DatasetWriter.Slices {
    private final List<Path> files;
    private final int srcW;
    private final int srcH;
    private final int tiles;
    private final int depth;
    private final DataType type;
    private final double scale;
    private final double offset;
    private final VoxelSize voxelSize;

    /**
     * @param files  single-plane images of one size, in z order
     * @param tiles  mosaic tiles per side (2: a 2 × 2 mosaic, twice the width and height)
     * @param depth  slices of the volume
     * @param type   the volume's sample type
     */
    public MosaicSlices(List<Path> files, int tiles, int depth, DataType type, double scale, double offset,
                        VoxelSize voxelSize) throws ImageReadException {
        if (files.isEmpty() || tiles < 1 || depth < 1) {
            throw new IllegalArgumentException("a mosaic needs files, tiles >= 1 and depth >= 1");
        }
        this.files = List.copyOf(files);
        var header = VolumeReader.header(files.get(0), ReadLimits.defaults());
        this.srcW = header.width();
        this.srcH = header.height();
        this.tiles = tiles;
        this.depth = depth;
        this.type = type;
        this.scale = scale;
        this.offset = offset;
        this.voxelSize = voxelSize;
    }

    @Override
    public int width() {
        return srcW * tiles;
    }

    @Override
    public int height() {
        return srcH * tiles;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public DataType dataType() {
        return type;
    }

    @Override
    public VoxelSize voxelSize() {
        return voxelSize;
    }

    @Override
    public double min() {
        return offset;
    }

    @Override
    public double max() {
        return 255 * scale + offset;
    }

    /** The file slice {@code z} is made of: forth and back through the files. */
    public Path fileOf(int z) {
        return files.get(mirror(z, files.size()));
    }

    @Override
    public float[] slice(int z) throws IOException {
        Volume src;
        try {
            src = VolumeReader.read(fileOf(z), ReadLimits.defaults());
        } catch (ImageReadException e) {
            throw new IOException("cannot read " + fileOf(z).getFileName() + ": " + e.getMessage(), e);
        }
        if (src.width() != srcW || src.height() != srcH || src.depth() != 1) {
            throw new IOException(fileOf(z).getFileName() + " is " + src.width() + " x " + src.height() + " x "
                    + src.depth() + ", not one " + srcW + " x " + srcH + " plane like the first file");
        }
        float[] p = new float[srcW * srcH];
        src.copyPlane(0, p);
        int w = width();
        float[] out = new float[w * height()];
        int[] cols = new int[w];
        for (int x = 0; x < w; x++) {
            cols[x] = mirror(x, srcW);
        }
        for (int y = 0; y < height(); y++) {
            int row = mirror(y, srcH) * srcW;
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) (p[row + cols[x]] * scale + offset);
            }
        }
        return out;
    }

    /** Index {@code i} folded into {@code 0..n-1}, mirrored: 0..n-1, then n-1..0, then 0.. again. */
    static int mirror(int i, int n) {
        int m = Math.floorMod(i, 2 * n);
        return m < n ? m : 2 * n - 1 - m;
    }
}
