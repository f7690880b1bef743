package org.zooscope.core.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code .zarray} metadata of a Zarr v2 array (C order, no filters). Immutable: arrays are copied in and out.
 *
 * @param shape      array shape, slowest axis first
 * @param chunks     chunk shape, same rank
 * @param dtype      sample type
 * @param compressor chunk compressor, or null for none
 * @param fillValue  value of samples in missing chunks (NaN allowed for floats)
 * @param separator  chunk key separator, {@code "/"} (required by OME-NGFF 0.4) or {@code "."}
 */
public record ZarrArrayMeta(int[] shape, int[] chunks, ZarrDtype dtype, Compressor compressor, double fillValue,
        String separator) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ZarrArrayMeta {
        if (shape.length == 0 || shape.length != chunks.length) {
            throw new IllegalArgumentException("shape and chunks need the same non-zero rank");
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || chunks[i] < 1) {
                throw new IllegalArgumentException("invalid shape " + Arrays.toString(shape) + " / chunks "
                        + Arrays.toString(chunks));
            }
        }
        if (!"/".equals(separator) && !".".equals(separator)) {
            throw new IllegalArgumentException("dimension_separator must be '/' or '.' but was " + separator);
        }
        shape = shape.clone();
        chunks = chunks.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int[] chunks() {
        return chunks.clone();
    }

    /** Number of chunks along each axis. */
    public int[] chunkGrid() {
        int[] g = new int[shape.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (shape[i] + chunks[i] - 1) / chunks[i];
        }
        return g;
    }

    /** Samples in one (full) chunk. */
    public int chunkSize() {
        long n = 1;
        for (int c : chunks) {
            n *= c;
        }
        if (n > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("chunk of " + n + " samples is too large");
        }
        return (int) n;
    }

    /** The store key of a chunk, relative to the array's path. */
    public String chunkKey(int... index) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < index.length; i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(index[i]);
        }
        return sb.toString();
    }

    /** The {@code .zarray} JSON. */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("zarr_format", 2);
        ArrayNode s = o.putArray("shape");
        for (int v : shape) {
            s.add(v);
        }
        ArrayNode c = o.putArray("chunks");
        for (int v : chunks) {
            c.add(v);
        }
        o.put("dtype", dtype.typestr());
        if (compressor == null) {
            o.putNull("compressor");
        } else {
            o.putObject("compressor").put("id", compressor.id()).put("level", compressor.level());
        }
        if (Double.isNaN(fillValue)) {
            o.put("fill_value", "NaN");
        } else if (dtype.kind() == 'f') {
            o.put("fill_value", fillValue);
        } else {
            o.put("fill_value", (long) fillValue);
        }
        o.put("order", "C");
        o.putNull("filters");
        o.put("dimension_separator", separator);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses {@code .zarray} JSON.
     *
     * @throws ZarrFormatException if it is not a supported Zarr v2 array
     */
    public static ZarrArrayMeta fromJson(byte[] json) throws ZarrFormatException {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new ZarrFormatException(".zarray is not valid JSON: " + e.getMessage());
        }
        if (o == null || o.path("zarr_format").asInt() != 2) {
            throw new ZarrFormatException("not a Zarr v2 array (zarr_format " + o.path("zarr_format") + ")");
        }
        if (!"C".equals(o.path("order").asText("C"))) {
            throw new ZarrFormatException("only C order is supported, got " + o.path("order").asText());
        }
        JsonNode filters = o.get("filters");
        if (filters != null && !filters.isNull() && filters.size() > 0) {
            throw new ZarrFormatException("filters are not supported: " + filters);
        }
        int[] shape = ints(o.get("shape"), "shape");
        int[] chunks = ints(o.get("chunks"), "chunks");
        ZarrDtype dtype;
        try {
            dtype = ZarrDtype.parse(o.path("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw new ZarrFormatException(e.getMessage());
        }
        Compressor comp = null;
        JsonNode c = o.get("compressor");
        if (c != null && !c.isNull()) {
            try {
                comp = new Compressor(c.path("id").asText(), c.path("level").asInt(1));
            } catch (IllegalArgumentException e) {
                throw new ZarrFormatException(e.getMessage());
            }
        }
        JsonNode fv = o.get("fill_value");
        double fill = 0;
        if (fv != null && !fv.isNull()) {
            fill = fv.isTextual() ? switch (fv.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new ZarrFormatException("unsupported fill_value " + fv);
            } : fv.asDouble();
        }
        String sep = o.path("dimension_separator").asText(".");
        try {
            return new ZarrArrayMeta(shape, chunks, dtype, comp, fill, sep);
        } catch (IllegalArgumentException e) {
            throw new ZarrFormatException(e.getMessage());
        }
    }

    private static int[] ints(JsonNode n, String name) throws ZarrFormatException {
        if (n == null || !n.isArray()) {
            throw new ZarrFormatException(".zarray has no " + name);
        }
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) {
            if (!n.get(i).canConvertToInt()) {
                throw new ZarrFormatException(name + " holds " + n.get(i));
            }
            a[i] = n.get(i).asInt();
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZarrArrayMeta m && Arrays.equals(shape, m.shape) && Arrays.equals(chunks, m.chunks)
                && dtype.equals(m.dtype) && java.util.Objects.equals(compressor, m.compressor)
                && Double.compare(fillValue, m.fillValue) == 0 && separator.equals(m.separator);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(chunks);
    }

    @Override
    public String toString() {
        return "ZarrArrayMeta[shape=" + Arrays.toString(shape) + ", chunks=" + Arrays.toString(chunks) + ", dtype="
                + dtype.typestr() + ", compressor=" + compressor + ", fill=" + fillValue + ", sep=" + separator + "]";
    }
}
