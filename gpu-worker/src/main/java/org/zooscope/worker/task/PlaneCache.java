package org.zooscope.worker.task;

import java.util.LinkedHashMap;
import java.util.Map;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;

/**
 * The input planes a worker has read lately, bounded in bytes (least recently used out first): the tiles of one
 * slice share one S3 read. Thread-safe.
 */
public final class PlaneCache {
    private final ObjectStore store;
    private final long maxBytes;
    private long bytes;
    private final LinkedHashMap<String, float[]> planes = new LinkedHashMap<>(16, 0.75f, true);

    public PlaneCache(ObjectStore store, long maxBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
    }

    public float[] get(String key, int length) {
        synchronized (this) {
            float[] hit = planes.get(key);
            if (hit != null) {
                return hit;
            }
        }
        float[] plane = PlaneCodec.decode(key, store.get(key), length);
        synchronized (this) {
            if (planes.put(key, plane) == null) {
                bytes += 4L * plane.length;
            }
            var it = planes.entrySet().iterator();
            while (bytes > maxBytes && planes.size() > 1 && it.hasNext()) {
                Map.Entry<String, float[]> eldest = it.next();
                bytes -= 4L * eldest.getValue().length;
                it.remove();
            }
        }
        return plane;
    }
}
