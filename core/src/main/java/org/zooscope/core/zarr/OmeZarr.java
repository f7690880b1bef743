package org.zooscope.core.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * Writes and reads volumes as OME-Zarr: an OME-NGFF 0.4 multiscale image in a Zarr v2 group, axes {@code z, y, x}
 * (type {@code space}, with the voxel size's unit when known), one array per resolution level ({@code "0"} full
 * resolution, each next level halved in x and y; z is kept, as EM voxels are anisotropic), {@code "/"} chunk keys,
 * zlib or gzip chunks. Label images (segmentations) go under {@code labels/<name>} with {@code image-label}
 * metadata and colours, as napari and the OME-NGFF viewers expect.
 *
 * <p>All keys are relative to the {@link ObjectSink} given (point it at a directory or an S3 prefix); the image group
 * is at the sink's root. Stateless and thread-safe.
 */
public final class OmeZarr {

    /** OME-NGFF version written. */
    public static final String NGFF_VERSION = "0.4";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OmeZarr() {
    }

    /** How pyramid levels are formed. */
    public enum Downsampling {
        /** Mean of each 2 × 2 block (images, probabilities). */
        MEAN,
        /** The top-left sample of each 2 × 2 block (label images: no new label values). */
        NEAREST
    }

    /**
     * Writer options. Immutable.
     *
     * @param dtype      stored sample type (values are rounded and saturated for integer types)
     * @param chunkZ     chunk depth
     * @param chunkXY    chunk width and height
     * @param compressor chunk compressor, or null
     * @param maxLevels  most resolution levels (levels stop once the plane fits one chunk)
     * @param name       image name stored in the metadata
     */
    public record Options(ZarrDtype dtype, int chunkZ, int chunkXY, Compressor compressor, int maxLevels,
            String name) {
        public Options {
            if (chunkZ < 1 || chunkXY < 1 || maxLevels < 1) {
                throw new IllegalArgumentException("chunks and maxLevels must be >= 1");
            }
        }

        /** Float32 probabilities: chunks 1 × 256 × 256, zlib level 1, up to 8 levels. */
        public static Options float32(String name) {
            return new Options(ZarrDtype.FLOAT32, 1, 256, Compressor.zlib(1), 8, name);
        }

        /** 8-bit images or labels: chunks 1 × 256 × 256, zlib level 5, up to 8 levels. */
        public static Options uint8(String name) {
            return new Options(ZarrDtype.UINT8, 1, 256, Compressor.zlib(5), 8, name);
        }

        public Options withChunks(int z, int xy) {
            return new Options(dtype, z, xy, compressor, maxLevels, name);
        }

        public Options withCompressor(Compressor c) {
            return new Options(dtype, chunkZ, chunkXY, c, maxLevels, name);
        }

        public Options withMaxLevels(int n) {
            return new Options(dtype, chunkZ, chunkXY, compressor, n, name);
        }
    }

    /** Writes {@code v} as a multiscale image at the root of {@code sink}; returns the number of levels. */
    public static int writeImage(Volume v, ObjectSink sink, Options options) throws IOException {
        return writeMultiscale(v, sink, "", options, Downsampling.MEAN, null);
    }

    /**
     * Writes label images under {@code labels/}: the {@code labels} group listing their names, and each as a
     * multiscale image (nearest downsampling) with {@code image-label} colours ({@code label value → 0xRRGGBB}, drawn
     * opaque) and {@code source.image = "../../"}.
     */
    public static void writeLabels(ObjectSink sink, Map<String, Volume> labels, Map<String, Map<Integer, Integer>>
            colours, Options options) throws IOException {
        ObjectNode idx = JSON.createObjectNode();
        ArrayNode names = idx.putArray("labels");
        labels.keySet().forEach(names::add);
        sink.put("labels/.zgroup", group());
        sink.put("labels/.zattrs", bytes(idx));
        for (Map.Entry<String, Volume> e : labels.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.equals("..") || name.equals(".")) {
                throw new IllegalArgumentException("invalid label name " + name);
            }
            ObjectNode imageLabel = JSON.createObjectNode();
            imageLabel.put("version", NGFF_VERSION);
            ArrayNode cs = imageLabel.putArray("colors");
            for (Map.Entry<Integer, Integer> c : colours.getOrDefault(name, Map.of()).entrySet()) {
                int rgb = c.getValue();
                ArrayNode rgba = cs.addObject().put("label-value", c.getKey()).putArray("rgba");
                rgba.add((rgb >> 16) & 0xFF).add((rgb >> 8) & 0xFF).add(rgb & 0xFF).add(255);
            }
            imageLabel.putObject("source").put("image", "../../");
            writeMultiscale(e.getValue(), sink, "labels/" + name, new Options(options.dtype(), options.chunkZ(),
                    options.chunkXY(), options.compressor(), options.maxLevels(), name), Downsampling.NEAREST,
                    imageLabel);
        }
    }

    private static int writeMultiscale(Volume v, ObjectSink sink, String prefix, Options o, Downsampling mode,
            ObjectNode imageLabel) throws IOException {
        List<Volume> levels = new ArrayList<>();
        levels.add(v);
        Volume cur = v;
        while (levels.size() < levelCount(v.width(), v.height(), o)) {
            cur = downsample(cur, mode);
            levels.add(cur);
        }
        String base = writeGroup(v.voxelSize(), levels.size(), sink, prefix, o, mode, imageLabel);
        for (int l = 0; l < levels.size(); l++) {
            writeArray(levels.get(l), sink, base + l, o);
        }
        return levels.size();
    }

    /** Resolution levels of a {@code width × height} image: halved until the plane fits one chunk, at most maxLevels. */
    static int levelCount(int width, int height, Options o) {
        int levels = 1;
        int w = width;
        int h = height;
        while (levels < o.maxLevels() && Math.max(w, h) > o.chunkXY()) {
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            levels++;
        }
        return levels;
    }

    /** The image group's {@code .zgroup} and {@code .zattrs}; returns the prefix its level arrays go under. */
    private static String writeGroup(VoxelSize vs, int levels, ObjectSink sink, String prefix, Options o,
            Downsampling mode, ObjectNode imageLabel) throws IOException {
        ObjectNode attrs = JSON.createObjectNode();
        ObjectNode ms = attrs.putArray("multiscales").addObject();
        ms.put("version", NGFF_VERSION);
        ms.put("name", o.name());
        ArrayNode axes = ms.putArray("axes");
        for (String a : new String[] {"z", "y", "x"}) {
            ObjectNode ax = axes.addObject().put("name", a).put("type", "space");
            if (vs.ngffUnit() != null) {
                ax.put("unit", vs.ngffUnit());
            }
        }
        ArrayNode ds = ms.putArray("datasets");
        for (int l = 0; l < levels; l++) {
            double f = Math.pow(2, l);
            ObjectNode d = ds.addObject().put("path", Integer.toString(l));
            ArrayNode ct = d.putArray("coordinateTransformations");
            ct.addObject().put("type", "scale").putArray("scale").add(vs.z()).add(vs.y() * f).add(vs.x() * f);
            if (l > 0 && mode == Downsampling.MEAN) {
                ct.addObject().put("type", "translation").putArray("translation").add(0.0)
                        .add((f - 1) / 2 * vs.y()).add((f - 1) / 2 * vs.x());
            }
        }
        ms.put("type", mode == Downsampling.MEAN ? "mean" : "nearest");
        ms.putObject("metadata").put("method", "org.zooscope.core.zarr.OmeZarr")
                .put("downsampling", mode == Downsampling.MEAN ? "2x2 mean in x,y" : "2x2 top-left sample in x,y");
        if (imageLabel != null) {
            attrs.set("image-label", imageLabel);
        }
        String base = prefix.isEmpty() ? "" : prefix + "/";
        sink.put(base + ".zgroup", group());
        sink.put(base + ".zattrs", bytes(attrs));
        return base;
    }

    /**
     * A multiscale image written slice by slice, so that each slice can be written as soon as it exists, by whichever
     * process has it: {@link #writeImageMetadata} once and {@link #writeImageSlice} for every z, in any order. The
     * result equals {@link #writeImage} with chunks one plane deep ({@code options.chunkZ()} must be 1).
     */
    public static int writeImageMetadata(int width, int height, int depth, VoxelSize vs, ObjectSink sink, Options o)
            throws IOException {
        return writeImageMetadata(width, height, depth, vs, sink, o, Downsampling.MEAN);
    }

    /** As {@link #writeImageMetadata(int, int, int, VoxelSize, ObjectSink, Options)}, levels formed by {@code mode}. */
    public static int writeImageMetadata(int width, int height, int depth, VoxelSize vs, ObjectSink sink, Options o,
            Downsampling mode) throws IOException {
        requireOnePlaneChunks(o);
        int levels = levelCount(width, height, o);
        writeGroup(vs, levels, sink, "", o, mode, null);
        int w = width;
        int h = height;
        for (int l = 0; l < levels; l++) {
            ZarrArray.create(sink, Integer.toString(l), levelMeta(w, h, depth, o));
            w = (w + 1) / 2;
            h = (h + 1) / 2;
        }
        return levels;
    }

    /** Writes slice {@code z} (a one-plane volume) of a {@code depth}-slice image into every level's chunks. */
    public static void writeImageSlice(Volume plane, int z, int depth, ObjectSink sink, Options o) throws IOException {
        writeImageSlice(plane, z, depth, sink, o, Downsampling.MEAN);
    }

    /** As {@link #writeImageSlice(Volume, int, int, ObjectSink, Options)}, levels formed by {@code mode}. */
    public static void writeImageSlice(Volume plane, int z, int depth, ObjectSink sink, Options o, Downsampling mode)
            throws IOException {
        requireOnePlaneChunks(o);
        if (plane.depth() != 1 || z < 0 || z >= depth) {
            throw new IllegalArgumentException("need one plane for slice " + z + " of " + depth + ", got " + plane.depth());
        }
        int levels = levelCount(plane.width(), plane.height(), o);
        Volume cur = plane;
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                cur = downsample(cur, mode);
            }
            writeChunks(cur, 0, ZarrArray.at(Integer.toString(l), levelMeta(cur.width(), cur.height(), depth, o)), z, sink);
        }
    }

    /**
     * Slice {@code z} of level 0 of an image written slice by slice ({@link #writeImageSlice}) with options {@code o},
     * read from its chunks without its metadata (which may not be written yet). Every chunk must be there: a missing
     * one is an error here, not the array's fill value, since a reader of a half-written image must not get zeros.
     */
    public static float[] readImageSlice(ObjectSource source, int width, int height, int depth, int z, Options o)
            throws IOException {
        requireOnePlaneChunks(o);
        ZarrArray arr = ZarrArray.at("0", levelMeta(width, height, depth, o));
        int[] chunks = arr.meta().chunks();
        int ch = chunks[1];
        int cw = chunks[2];
        float[] plane = new float[width * height];
        for (int cy = 0; cy * ch < height; cy++) {
            for (int cx = 0; cx * cw < width; cx++) {
                float[] chunk = arr.readStoredChunk(source, new int[] {z, cy, cx});
                int rows = Math.min(ch, height - cy * ch);
                int cols = Math.min(cw, width - cx * cw);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(chunk, r * cw, plane, (cy * ch + r) * width + cx * cw, cols);
                }
            }
        }
        return plane;
    }

    private static void requireOnePlaneChunks(Options o) {
        if (o.chunkZ() != 1) {
            throw new IllegalArgumentException("slice-wise writing needs chunks one plane deep, not " + o.chunkZ());
        }
    }

    private static ZarrArrayMeta levelMeta(int w, int h, int depth, Options o) {
        return new ZarrArrayMeta(new int[] {depth, h, w}, new int[] {Math.min(o.chunkZ(), depth), Math.min(o.chunkXY(), h),
                Math.min(o.chunkXY(), w)}, o.dtype(), o.compressor(), 0, "/");
    }

    /** Writes one 3-D array {@code (z, y, x)} of {@code v} at {@code path}. */
    public static ZarrArray writeArray(Volume v, ObjectSink sink, String path, Options o) throws IOException {
        ZarrArray arr = ZarrArray.create(sink, path, levelMeta(v.width(), v.height(), v.depth(), o));
        int chunkZ = arr.meta().chunks()[0];
        for (int iz = 0; iz * chunkZ < v.depth(); iz++) {
            writeChunks(v, iz * chunkZ, arr, iz, sink);
        }
        return arr;
    }

    /** The chunks of z-chunk {@code iz} of {@code arr}, from the planes of {@code v} starting at {@code z0}. */
    private static void writeChunks(Volume v, int z0, ZarrArray arr, int iz, ObjectSink sink) throws IOException {
        int[] chunks = arr.meta().chunks();
        int cz = chunks[0];
        int cy = chunks[1];
        int cx = chunks[2];
        int[] grid = arr.meta().chunkGrid();
        float[] chunk = new float[cz * cy * cx];
        float[] row = new float[cx];
        for (int iy = 0; iy < grid[1]; iy++) {
            for (int ix = 0; ix < grid[2]; ix++) {
                java.util.Arrays.fill(chunk, 0f);
                int x0 = ix * cx;
                int y0 = iy * cy;
                int w = Math.min(cx, v.width() - x0);
                int h = Math.min(cy, v.height() - y0);
                for (int dz = 0; dz < cz && z0 + dz < v.depth(); dz++) {
                    for (int dy = 0; dy < h; dy++) {
                        v.copyBlock(x0, y0 + dy, z0 + dz, w, 1, row);
                        System.arraycopy(row, 0, chunk, (dz * cy + dy) * cx, w);
                    }
                }
                arr.writeChunk(sink, new int[] {iz, iy, ix}, chunk);
            }
        }
    }

    /** Halves x and y. */
    static FloatVolume downsample(Volume v, Downsampling mode) {
        int w = v.width();
        int h = v.height();
        int nw = (w + 1) / 2;
        int nh = (h + 1) / 2;
        List<float[]> planes = new ArrayList<>(v.depth());
        float[] p = new float[w * h];
        for (int z = 0; z < v.depth(); z++) {
            v.copyPlane(z, p);
            float[] o = new float[nw * nh];
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    if (mode == Downsampling.NEAREST) {
                        o[y * nw + x] = p[2 * y * w + 2 * x];
                        continue;
                    }
                    double s = 0;
                    int c = 0;
                    for (int dy = 0; dy < 2 && 2 * y + dy < h; dy++) {
                        for (int dx = 0; dx < 2 && 2 * x + dx < w; dx++) {
                            s += p[(2 * y + dy) * w + 2 * x + dx];
                            c++;
                        }
                    }
                    o[y * nw + x] = (float) (s / c);
                }
            }
            planes.add(o);
        }
        VoxelSize vs = v.voxelSize();
        return new FloatVolume(nw, nh, planes, v.dataType(), new VoxelSize(vs.x() * 2, vs.y() * 2, vs.z(), vs.unit()));
    }

    /** Number of resolution levels of the multiscale image at {@code path} ({@code ""} = store root). */
    public static int levels(ObjectSource source, String path) throws IOException {
        return multiscale(source, path).path("datasets").size();
    }

    /**
     * Reads one resolution level of the multiscale image at {@code path} as a volume (axes must end in
     * {@code y, x}; a leading {@code z} is the depth, other leading axes must have size 1).
     *
     * @param maxBytes most bytes of decoded float samples to allocate
     */
    public static FloatVolume readImage(ObjectSource source, String path, int level, long maxBytes)
            throws IOException {
        JsonNode ms = multiscale(source, path);
        JsonNode datasets = ms.path("datasets");
        if (level < 0 || level >= datasets.size()) {
            throw new ZarrFormatException("level " + level + " not in 0.." + (datasets.size() - 1));
        }
        JsonNode axes = ms.path("axes");
        List<String> names = new ArrayList<>();
        String unit = null;
        for (JsonNode a : axes) {
            String n = a.isTextual() ? a.asText() : a.path("name").asText();
            names.add(n);
            if (a.has("unit") && (n.equals("x") || n.equals("y"))) {
                unit = a.get("unit").asText();
            }
        }
        int rank = names.size();
        if (rank < 2 || !names.get(rank - 1).equals("x") || !names.get(rank - 2).equals("y")) {
            throw new ZarrFormatException("axes must end in y, x but are " + names);
        }
        JsonNode d = datasets.get(level);
        double[] scale = null;
        for (JsonNode t : d.path("coordinateTransformations")) {
            if ("scale".equals(t.path("type").asText())) {
                scale = new double[t.path("scale").size()];
                for (int i = 0; i < scale.length; i++) {
                    scale[i] = t.path("scale").get(i).asDouble();
                }
            }
        }
        String base = ZarrArray.normalise(path);
        ZarrArray arr = ZarrArray.open(source, ZarrArray.key(base, d.path("path").asText()));
        int[] shape = arr.meta().shape();
        if (shape.length != rank) {
            throw new ZarrFormatException("array rank " + shape.length + " does not match " + rank + " axes");
        }
        int zAxis = names.indexOf("z");
        for (int i = 0; i < rank - 2; i++) {
            if (i != zAxis && shape[i] != 1) {
                throw new ZarrFormatException("axis " + names.get(i) + " has size " + shape[i]
                        + "; only z may be larger than 1");
            }
        }
        int depth = zAxis >= 0 ? shape[zAxis] : 1;
        int h = shape[rank - 2];
        int w = shape[rank - 1];
        long bytes = 4L * w * h * depth;
        if (bytes > maxBytes) {
            throw new ZarrFormatException("level " + level + " needs " + bytes + " bytes, limit " + maxBytes);
        }
        float[][] planes = new float[depth][w * h];
        readInto(arr, source, planes, w, h, zAxis, rank);
        VoxelSize vs = VoxelSize.unknown();
        if (scale != null && unit != null && scale.length == rank) {
            double sz = zAxis >= 0 ? scale[zAxis] : scale[rank - 1];
            VoxelSize candidate = new VoxelSize(scale[rank - 1], scale[rank - 2], sz, unit);
            vs = candidate.isKnown() ? candidate : VoxelSize.unknown();
        }
        return new FloatVolume(w, h, List.of(planes), dataType(arr.meta().dtype()), vs);
    }

    private static void readInto(ZarrArray arr, ObjectSource source, float[][] planes, int w, int h, int zAxis,
            int rank) throws IOException {
        int[] chunks = arr.meta().chunks();
        int[] grid = arr.meta().chunkGrid();
        int cy = chunks[rank - 2];
        int cx = chunks[rank - 1];
        int cz = zAxis >= 0 ? chunks[zAxis] : 1;
        int gz = zAxis >= 0 ? grid[zAxis] : 1;
        int[] idx = new int[rank];
        for (int iz = 0; iz < gz; iz++) {
            for (int iy = 0; iy < grid[rank - 2]; iy++) {
                for (int ix = 0; ix < grid[rank - 1]; ix++) {
                    if (zAxis >= 0) {
                        idx[zAxis] = iz;
                    }
                    idx[rank - 2] = iy;
                    idx[rank - 1] = ix;
                    float[] c = arr.readChunk(source, idx);
                    // leading singleton axes: their chunk extent multiplies in front of z; index 0 of each
                    for (int dz = 0; dz < cz && iz * cz + dz < planes.length; dz++) {
                        for (int dy = 0; dy < cy && iy * cy + dy < h; dy++) {
                            int wcopy = Math.min(cx, w - ix * cx);
                            System.arraycopy(c, (dz * cy + dy) * cx, planes[iz * cz + dz], (iy * cy + dy) * w
                                    + ix * cx, wcopy);
                        }
                    }
                }
            }
        }
    }

    static DataType dataType(ZarrDtype t) {
        if (t.kind() == 'f') {
            return DataType.FLOAT32;
        }
        if (t.kind() == 'u' && t.size() == 1) {
            return DataType.UINT8;
        }
        if (t.kind() == 'u' && t.size() == 2) {
            return DataType.UINT16;
        }
        return DataType.INT32;
    }

    private static JsonNode multiscale(ObjectSource source, String path) throws IOException {
        String base = ZarrArray.normalise(path);
        Optional<byte[]> attrs = source.get(ZarrArray.key(base, ".zattrs"));
        if (attrs.isEmpty()) {
            throw new ZarrFormatException("no .zattrs at '" + base + "'");
        }
        JsonNode root = JSON.readTree(attrs.get());
        JsonNode ms = root.path("multiscales");
        if (!ms.isArray() || ms.size() == 0) {
            throw new ZarrFormatException("no multiscales in .zattrs at '" + base + "'");
        }
        return ms.get(0);
    }

    private static byte[] group() {
        return "{\n  \"zarr_format\": 2\n}".getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ObjectNode n) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }
}
