package org.zooscope.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.zooscope.core.io.ByteSource;
import org.zooscope.core.io.SliceSource;

/**
 * An object in the store read by byte ranges, so an upload is decoded where it was streamed to. Small reads (TIFF
 * directories, strips, PNG chunks) are served from a few cached blocks; reads of a block or more (a whole plane) go
 * to the store in one request. Memory: at most {@link #CACHED_BLOCKS} × {@link #BLOCK_BYTES}. Not thread-safe.
 */
public final class StoredObjectSource implements ByteSource {
    static final int BLOCK_BYTES = 256 << 10;
    static final int CACHED_BLOCKS = 16;

    private final ObjectStore store;
    private final String key;
    private final long size;
    private final Map<Long, byte[]> blocks = new LinkedHashMap<>(CACHED_BLOCKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    private StoredObjectSource(ObjectStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    /** {@link NoSuchFileException} when there is no object at {@code key}. */
    public static StoredObjectSource open(ObjectStore store, String key) throws NoSuchFileException {
        long size = store.size(key).orElseThrow(() -> new NoSuchFileException(key));
        return new StoredObjectSource(store, key, size);
    }

    /** A stack file for the volume reader: errors name {@code name} (the user's file name), not the key. */
    public static SliceSource slice(ObjectStore store, String key, String name) {
        return new SliceSource(name, () -> open(store, key));
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long pos, ByteBuffer dst) throws IOException {
        if (pos >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - pos);
        if (want == 0) {
            return 0;
        }
        if (want >= BLOCK_BYTES) {
            byte[] direct = fetch(pos, want);
            dst.put(direct);
            return want;
        }
        long index = pos / BLOCK_BYTES;
        byte[] block = blocks.get(index);
        if (block == null) {
            long start = index * BLOCK_BYTES;
            block = fetch(start, (int) Math.min(BLOCK_BYTES, size - start));
            blocks.put(index, block);
        }
        int off = (int) (pos - index * BLOCK_BYTES);
        int n = Math.min(want, block.length - off);
        dst.put(block, off, n);
        return n;
    }

    private byte[] fetch(long pos, int len) throws IOException {
        try (InputStream in = store.open(key, pos, len)) {
            byte[] b = in.readNBytes(len);
            if (b.length != len) {
                throw new IOException("object " + key + " ended at byte " + (pos + b.length) + " of " + size);
            }
            return b;
        }
    }

    @Override
    public void close() {
        blocks.clear();
    }
}
