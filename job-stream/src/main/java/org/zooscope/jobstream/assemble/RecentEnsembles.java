package org.zooscope.jobstream.assemble;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ensemble planes this process's slice assemblies have just stored as a preview's OME-Zarr chunks, kept for its
 * final assembly, which would otherwise read every plane back from the store (a 1000 × 1000 × 5 preview: 20 MB
 * through the S3 server, a fifth of what it reads per preview). Bounded by bytes, least recently used first out; a
 * plane that is not here (another instance assembled the slice, a restart, evicted) is read from the Zarr as before.
 * Full runs are not kept: their final assembly reads from slice 0 while this holds the last slices. Thread-safe.
 */
public final class RecentEnsembles {
    /** Enough for a few previews in flight at once (a 1000² plane is 4 MB), a small part of the job-stream's heap. */
    public static final long DEFAULT_BYTES = 64L << 20;

    private record Key(String jobId, String structure, int z) {
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, float[]> planes = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public RecentEnsembles(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0 but was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Keeps slice {@code z}'s ensemble of the structure, once it is stored; the caller does not change it after. */
    public synchronized void put(String jobId, String structure, int z, float[] plane) {
        long size = 4L * plane.length;
        if (size > maxBytes) {
            return;
        }
        float[] old = planes.put(new Key(jobId, structure, z), plane);
        bytes += size - (old == null ? 0 : 4L * old.length);
        Iterator<Map.Entry<Key, float[]>> eldest = planes.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= 4L * eldest.next().getValue().length;
            eldest.remove();
        }
    }

    public synchronized Optional<float[]> get(String jobId, String structure, int z) {
        return Optional.ofNullable(planes.get(new Key(jobId, structure, z)));
    }

    /** Drops the job's planes (its final assembly is done, or failed). */
    public synchronized void forget(String jobId) {
        Iterator<Map.Entry<Key, float[]>> it = planes.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, float[]> e = it.next();
            if (e.getKey().jobId().equals(jobId)) {
                bytes -= 4L * e.getValue().length;
                it.remove();
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }
}
