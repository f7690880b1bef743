package org.zooscope.core.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Chunk-level access to one Zarr v2 array at {@code path} in a store: encode/write and read/decode chunks as float
 * samples in C order. Edge chunks are stored full size (padded with the fill value), as Zarr v2 requires.
 * Immutable and thread-safe (as thread-safe as the store).
 */
public final class ZarrArray {

    private final String path;
    private final ZarrArrayMeta meta;

    private ZarrArray(String path, ZarrArrayMeta meta) {
        this.path = normalise(path);
        this.meta = meta;
    }

    static String normalise(String path) {
        String p = path == null ? "" : path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    static String key(String path, String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    /** Writes the {@code .zarray} metadata and returns a handle for writing chunks. */
    public static ZarrArray create(ObjectSink sink, String path, ZarrArrayMeta meta) throws IOException {
        ZarrArray a = new ZarrArray(path, Objects.requireNonNull(meta, "meta"));
        sink.put(key(a.path, ".zarray"), meta.toJson());
        return a;
    }

    /** An array whose {@code .zarray} is already stored (by {@link #create}), for writing more of its chunks. */
    public static ZarrArray at(String path, ZarrArrayMeta meta) {
        return new ZarrArray(path, Objects.requireNonNull(meta, "meta"));
    }

    /** Reads the {@code .zarray} metadata at {@code path}. */
    public static ZarrArray open(ObjectSource source, String path) throws IOException {
        String p = normalise(path);
        Optional<byte[]> json = source.get(key(p, ".zarray"));
        if (json.isEmpty()) {
            throw new ZarrFormatException("no Zarr array at '" + p + "' (missing .zarray)");
        }
        return new ZarrArray(p, ZarrArrayMeta.fromJson(json.get()));
    }

    public ZarrArrayMeta meta() {
        return meta;
    }

    public String path() {
        return path;
    }

    /** Encodes and stores one chunk given as {@link ZarrArrayMeta#chunkSize()} floats in C order. */
    public void writeChunk(ObjectSink sink, int[] index, float[] samples) throws IOException {
        checkIndex(index);
        int n = meta.chunkSize();
        if (samples.length != n) {
            throw new IllegalArgumentException("chunk needs " + n + " samples, got " + samples.length);
        }
        ByteBuffer b = ByteBuffer.allocate(n * meta.dtype().size()).order(meta.dtype().order());
        meta.dtype().writeAll(samples, b);
        byte[] raw = b.array();
        sink.put(key(path, meta.chunkKey(index)), meta.compressor() == null ? raw : meta.compressor().encode(raw));
    }

    /** Reads and decodes one chunk ({@link ZarrArrayMeta#chunkSize()} floats); a missing chunk is all fill value. */
    public float[] readChunk(ObjectSource source, int[] index) throws IOException {
        return readChunk(source, index, false);
    }

    /** As {@link #readChunk(ObjectSource, int[])}, but a missing chunk is an error: for arrays written in full. */
    public float[] readStoredChunk(ObjectSource source, int[] index) throws IOException {
        return readChunk(source, index, true);
    }

    private float[] readChunk(ObjectSource source, int[] index, boolean required) throws IOException {
        checkIndex(index);
        int n = meta.chunkSize();
        float[] out = new float[n];
        Optional<byte[]> data = source.get(key(path, meta.chunkKey(index)));
        if (data.isEmpty()) {
            if (required) {
                throw new java.io.FileNotFoundException("chunk " + meta.chunkKey(index) + " of " + path + " is not stored");
            }
            Arrays.fill(out, (float) meta.fillValue());
            return out;
        }
        int bytes = n * meta.dtype().size();
        byte[] raw = meta.compressor() == null ? data.get() : meta.compressor().decode(data.get(), bytes);
        if (raw.length != bytes) {
            throw new ZarrFormatException("chunk " + meta.chunkKey(index) + " has " + raw.length + " bytes, expected "
                    + bytes);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(meta.dtype().order());
        for (int i = 0; i < n; i++) {
            out[i] = meta.dtype().read(b);
        }
        return out;
    }

    private void checkIndex(int[] index) {
        int[] grid = meta.chunkGrid();
        if (index.length != grid.length) {
            throw new IllegalArgumentException("chunk index rank " + index.length + " != array rank " + grid.length);
        }
        for (int i = 0; i < index.length; i++) {
            Objects.checkIndex(index[i], Math.max(grid[i], 1));
        }
    }
}
