package org.zooscope.jobstream.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

class StitchedPlanesTest {
    private static final int W = 40;
    private static final int H = 30;
    private static final int D = 5;

    /** Counts the GETs of each key. */
    private static final class CountingStore implements ObjectStore {
        final InMemoryObjectStore inner = new InMemoryObjectStore();
        final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();

        public void put(String key, byte[] bytes, String contentType) {
            inner.put(key, bytes, contentType);
        }

        public void put(String key, Path file, String contentType) {
            inner.put(key, file, contentType);
        }

        public byte[] get(String key) {
            gets.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return inner.get(key);
        }

        public InputStream open(String key) {
            return inner.open(key);
        }

        public Optional<Long> size(String key) {
            return inner.size(key);
        }

        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        public void deletePrefix(String prefix) {
            inner.deletePrefix(prefix);
        }

        public String uri(String key) {
            return inner.uri(key);
        }
    }

    @Test
    void readersOfOneStackSideBySideFetchEachPlaneOnce() throws Exception {
        CountingStore store = new CountingStore();
        AssembleTask task = new AssembleTask("j", W, H, D, 0.5,
                List.of(new AssembleTask.ModelTiles("a", "mitochondria", TileLayout.of(16, 4, 1))), "jobs/j/results/",
                false, "jobs/j/stitched/", List.of("a@1"), 0, 1, new JobSettings(true, Augmentation.NONE, 0.5),
                new VoxelSize(2, 2, 10, "nm"), Instant.EPOCH, Instant.EPOCH);
        for (int z = 0; z < D; z++) {
            float[] p = new float[W * H];
            java.util.Arrays.fill(p, z / 10f);
            store.put("planes/" + z, PlaneCodec.encode(p), "");
        }
        Volume stack = StitchedPlanes.of(store, task, z -> "planes/" + z);
        int readers = 3; // as the probabilities TIFF, the segmentation TIFF and the measurements read one stack
        CyclicBarrier start = new CyclicBarrier(readers);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int r = 0; r < readers; r++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    float[] plane = new float[W * H];
                    for (int z = 0; z < D; z++) {
                        stack.copyPlane(z, plane);
                        assertThat(plane[7]).isEqualTo(z / 10f);
                    }
                } catch (Throwable e) {
                    failed.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(failed).isEmpty();
        for (int z = 0; z < D; z++) {
            assertThat(store.gets.get("planes/" + z).get()).as("GETs of plane %d", z).isEqualTo(1);
        }
    }
}
