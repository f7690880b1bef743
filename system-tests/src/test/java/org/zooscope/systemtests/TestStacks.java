package org.zooscope.systemtests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/** Test inputs built from the bundled real EM sample, and the reference: a model run directly in ONNX Runtime. */
public final class TestStacks {
    private TestStacks() {
    }

    public static Path root() {
        return Path.of(System.getProperty("zooscope.root", "..")).toAbsolutePath().normalize();
    }

    /** The 512 × 512 × 5 SBEM sample mirrored into a {@code size × size × 5} 8-bit stack (no invented pixels). */
    public static Path mirroredSample(Path dir, int size) throws Exception {
        Volume v = VolumeReader.read(root().resolve("samples/sbem-mito-512x512x5.tif"), ReadLimits.defaults());
        int w = v.width();
        int h = v.height();
        float[] src = new float[w * h];
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < v.depth(); z++) {
            v.copyPlane(z, src);
            float[] out = new float[size * size];
            for (int y = 0; y < size; y++) {
                int sy = mirror(y, h);
                for (int x = 0; x < size; x++) {
                    out[y * size + x] = src[sy * w + mirror(x, w)];
                }
            }
            planes.add(out);
        }
        Path file = dir.resolve("sbem-" + size + "x" + size + "x" + v.depth() + ".tif");
        try (OutputStream o = Files.newOutputStream(file)) {
            TiffWriter.writeUint8(new FloatVolume(size, size, planes, DataType.UINT8, VoxelSize.unknown()), o);
        }
        return file;
    }

    /** One plane of a stack being written: {@code side × side} values, row by row. */
    @FunctionalInterface
    public interface Planes {
        float[] plane(int z) throws IOException;
    }

    /**
     * A plain little-endian multi-page 16-bit TIFF (each page's directory, then its one uncompressed strip, as
     * tifffile lays out a stack), written plane by plane: never whole in memory.
     */
    public static void writeUint16Tiff(Path file, int side, int depth, Planes planes) throws IOException {
        long planeBytes = 2L * side * side;
        int ifdBytes = 128;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
            out.write(head.array());
            long offset = 8;
            java.nio.ByteBuffer px = java.nio.ByteBuffer.allocate((int) planeBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int z = 0; z < depth; z++) {
                long data = offset + ifdBytes;
                long next = z == depth - 1 ? 0 : data + planeBytes;
                java.nio.ByteBuffer ifd = java.nio.ByteBuffer.allocate(ifdBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                ifd.putShort((short) 10);
                entry(ifd, 256, 4, side);           // ImageWidth
                entry(ifd, 257, 4, side);           // ImageLength
                entry(ifd, 258, 3, 16);             // BitsPerSample
                entry(ifd, 259, 3, 1);              // Compression: none
                entry(ifd, 262, 3, 1);              // Photometric: black is zero
                entry(ifd, 273, 4, data);           // StripOffsets
                entry(ifd, 277, 3, 1);              // SamplesPerPixel
                entry(ifd, 278, 4, side);           // RowsPerStrip
                entry(ifd, 279, 4, planeBytes);     // StripByteCounts
                entry(ifd, 339, 3, 1);              // SampleFormat: unsigned
                ifd.putInt((int) next);
                out.write(ifd.array());
                px.clear();
                for (float v : planes.plane(z)) {
                    px.putShort((short) (int) v);
                }
                out.write(px.array());
                offset = next;
            }
        }
    }

    private static void entry(java.nio.ByteBuffer b, int tag, int type, long value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt((int) value);
        }
    }

    static int mirror(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** The model on whole slices, normalised as scale_range (0..100 percentile) over the whole volume. */
    static float[][] runDirectly(Volume v, Path onnx) throws Exception {
        double[] range = range(v);
        return runDirectly(v, onnx, range[0], range[1]);
    }

    /** The smallest and largest voxel of {@code v}. */
    static double[] range(Volume v) {
        float[] plane = new float[v.width() * v.height()];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int z = 0; z < v.depth(); z++) {
            v.copyPlane(z, plane);
            for (float f : plane) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
        }
        return new double[] {lo, hi};
    }

    /** The model on whole slices, normalised as scale_range with a given range (another volume's, say). */
    static float[][] runDirectly(Volume v, Path onnx, double lo, double hi) throws Exception {
        int w = v.width();
        int h = v.height();
        float[][] planes = new float[v.depth()][w * h];
        for (int z = 0; z < v.depth(); z++) {
            v.copyPlane(z, planes[z]);
        }
        double gain = 1.0 / (hi - lo + 1e-6);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] out = new float[v.depth()][];
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            for (int z = 0; z < v.depth(); z++) {
                float[] x = new float[w * h];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (planes[z][i] * gain - lo * gain);
                }
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, h, w});
                     OrtSession.Result r = session.run(Map.of("input", t))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    out[z] = new float[fb.remaining()];
                    fb.get(out[z]);
                }
            }
        }
        return out;
    }

    /**
     * The model run directly on fixed {@code winH × winW} windows of each whole-volume-normalised slice (as
     * {@link #runDirectly}), for models that take only some sizes: one window holding the whole slice (zero-padded on the
     * right and bottom) where the model takes one that large, else windows overlapping by 2 px, each giving the pixels
     * 1 px inside it. Exact away from the slice's 1 px border for a model with a 3 × 3 receptive field; independent of
     * the pipeline's tiling (fixed windows, no halo, no mirroring, no blending). One input channel, first or last;
     * {@code outputChannel} of a channel-first output.
     */
    static float[][] runInWindows(Volume v, byte[] onnx, int winH, int winW, boolean channelLast, int outputChannel)
            throws Exception {
        int w = v.width();
        int h = v.height();
        float[][] planes = normalised(v);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] out = new float[v.depth()][w * h];
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            for (int z = 0; z < v.depth(); z++) {
                for (int oy : origins(h, winH)) {
                    for (int ox : origins(w, winW)) {
                        float[] x = new float[winH * winW];
                        for (int r = 0; r < winH && oy + r < h; r++) {
                            for (int c = 0; c < winW && ox + c < w; c++) {
                                x[r * winW + c] = planes[z][(oy + r) * w + ox + c];
                            }
                        }
                        // one channel: [1, 1, h, w] and [1, h, w, 1] hold the values in the same order
                        long[] shape = channelLast ? new long[] {1, winH, winW, 1} : new long[] {1, 1, winH, winW};
                        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                             OrtSession.Result r = session.run(Map.of("input", t))) {
                            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                            for (int r2 = 1; r2 < winH - 1 && oy + r2 < h; r2++) {
                                for (int c = 1; c < winW - 1 && ox + c < w; c++) {
                                    out[z][(oy + r2) * w + ox + c] = fb.get((outputChannel * winH + r2) * winW + c);
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Window starts along one axis: 0, then every {@code win - 2} px, the last flush with the end. */
    private static List<Integer> origins(int n, int win) {
        List<Integer> starts = new ArrayList<>();
        if (n <= win) {
            starts.add(0);
            return starts;
        }
        for (int o = 0; o + win < n; o += win - 2) {
            starts.add(o);
        }
        starts.add(n - win);
        return starts;
    }

    /**
     * A half-resolution model (its output at half the input's y and x) run directly on one {@code winH × winW} window
     * holding each whole-volume-normalised slice (zero-padded on the right and bottom), its output brought to the
     * input's grid by bilinear interpolation with pixel centres aligned -- the rule Zooscope states -- written here
     * on its own: input pixel {@code 2j} is 3/4 output pixel {@code j} and 1/4 its neighbour before, {@code 2j + 1}
     * 3/4 and 1/4 its neighbour after, on each axis, the edges repeated.
     */
    static float[][] runHalfResolution(Volume v, byte[] onnx, int winH, int winW) throws Exception {
        int w = v.width();
        int h = v.height();
        float[][] planes = normalised(v);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] out = new float[v.depth()][w * h];
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            for (int z = 0; z < v.depth(); z++) {
                float[] x = new float[winH * winW];
                for (int r = 0; r < h; r++) {
                    System.arraycopy(planes[z], r * w, x, r * winW, w);
                }
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, winH, winW});
                     OrtSession.Result res = session.run(Map.of("input", t))) {
                    FloatBuffer half = ((OnnxTensor) res.get(0)).getFloatBuffer();
                    int hh = winH / 2;
                    int hw = winW / 2;
                    for (int r = 0; r < h; r++) {
                        int j = r / 2;
                        int nj = Math.min(Math.max(r % 2 == 0 ? j - 1 : j + 1, 0), hh - 1);
                        for (int c = 0; c < w; c++) {
                            int k = c / 2;
                            int nk = Math.min(Math.max(c % 2 == 0 ? k - 1 : k + 1, 0), hw - 1);
                            out[z][r * w + c] = (float) (0.5625 * half.get(j * hw + k) + 0.1875 * half.get(nj * hw + k)
                                    + 0.1875 * half.get(j * hw + nk) + 0.0625 * half.get(nj * hw + nk));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * A 3D model ({@code [1, 1, z, y, x]}) run directly on the whole volume, normalised over all of it, in one window of
     * {@code winH × winW} (zero-padded on the right and bottom) and mirrored by {@code zPad} planes at each end of z
     * (without repeating the end plane), as the service extends a volume for a model's z block: slice {@code z} of the
     * answer is the output's slice {@code z + zPad}.
     */
    static float[][] runVolume(Volume v, byte[] onnx, int winH, int winW, int zPad) throws Exception {
        int w = v.width();
        int h = v.height();
        int depth = v.depth() + 2 * zPad;
        float[][] planes = normalised(v);
        float[] x = new float[depth * winH * winW];
        for (int z = 0; z < depth; z++) {
            // reflected about the end planes, which are not repeated (zPad < depth)
            int from = z - zPad < 0 ? zPad - z : z - zPad >= v.depth() ? 2 * (v.depth() - 1) - (z - zPad) : z - zPad;
            float[] src = planes[from];
            for (int r = 0; r < h; r++) {
                System.arraycopy(src, r * w, x, (z * winH + r) * winW, w);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] out = new float[v.depth()][w * h];
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, depth, winH, winW});
             OrtSession.Result res = session.run(Map.of("input", t))) {
            FloatBuffer y = ((OnnxTensor) res.get(0)).getFloatBuffer();
            for (int z = 0; z < v.depth(); z++) {
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < w; c++) {
                        out[z][r * w + c] = y.get(((z + zPad) * winH + r) * winW + c);
                    }
                }
            }
        }
        return out;
    }

    /** Every slice scaled by the whole volume's range to 0..1 (scale_range 0..100 %), as the references feed them. */
    private static float[][] normalised(Volume v) {
        double[] range = range(v);
        double lo = range[0];
        double gain = 1.0 / (range[1] - lo + 1e-6);
        float[][] planes = new float[v.depth()][v.width() * v.height()];
        for (int z = 0; z < v.depth(); z++) {
            v.copyPlane(z, planes[z]);
        }
        for (float[] p : planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (p[i] * gain - lo * gain);
            }
        }
        return planes;
    }

    /** Largest |a - b| over the interior (1 px from the edge, where the model's own zero padding differs). */
    static double maxInteriorDifference(Volume probs, float[][] expected) {
        return maxInteriorDifference(probs, expected, 1);
    }

    /** Largest |a - b| at least {@code margin} px from every edge of each slice. */
    static double maxInteriorDifference(Volume probs, float[][] expected, int margin) {
        int w = probs.width();
        int h = probs.height();
        float[] got = new float[w * h];
        double max = 0;
        for (int z = 0; z < probs.depth(); z++) {
            probs.copyPlane(z, got);
            for (int y = margin; y < h - margin; y++) {
                for (int x = margin; x < w - margin; x++) {
                    max = Math.max(max, Math.abs(got[y * w + x] - expected[z][y * w + x]));
                }
            }
        }
        return max;
    }

    static Volume readTiff(byte[] bytes, Path dir, String name) throws IOException, org.zooscope.core.io.ImageReadException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return VolumeReader.read(f, ReadLimits.defaults());
    }
}
