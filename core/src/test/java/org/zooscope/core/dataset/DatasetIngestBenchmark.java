package org.zooscope.core.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;

/**
 * How long a hosted-dataset ingest takes and how much heap it needs: ingests a mirror mosaic of the real demo slices
 * ({@link MosaicSlices}) with {@link DatasetWriter} into a store that counts and drops what it is given (so the heap
 * measured is the writer's, not the store's), and prints the time, the share of it spent decoding slices, and the
 * peak heap. Not a test; run it under the service's heap, e.g. the gateway's 768 MiB:
 *
 * <pre>{@code
 * mvn -B -o -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx768m -XX:+UseSerialGC -cp core/target/classes:core/target/test-classes:$(cat core/target/cp.txt) \
 *      org.zooscope.core.dataset.DatasetIngestBenchmark 4 64 uint16 upload   # 4096 x 4096 x 64, 16-bit
 * }</pre>
 *
 * Arguments: mosaic tiles per side (the slices are 1024 × 1024), depth, {@code uint8} or {@code uint16} (8-bit EM
 * × 16 + 100, 12 bits inside 16), {@code upload} to read the slices as the gateway does (each an upload's stored
 * plane in its own sample type, fetched from the store and decoded: {@link UploadedSlices}; the planes are made on request, not
 * kept) or {@code direct}, and the slices' folder (default {@code samples/demo-dataset}).
 */
public final class DatasetIngestBenchmark {
    private DatasetIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tiles = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int depth = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        DataType type = args.length > 2 ? DataType.valueOf(args[2].toUpperCase(Locale.ROOT)) : DataType.UINT16;
        boolean viaUpload = args.length > 3 && args[3].equals("upload");
        Path dir = Path.of(args.length > 4 ? args[4] : "samples/demo-dataset");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        boolean sixteen = type == DataType.UINT16;
        MosaicSlices mosaic = new MosaicSlices(files, tiles, depth, type, sixteen ? 16 : 1, sixteen ? 100 : 0,
                new VoxelSize(5.9, 5.9, 40, "nm"));
        AtomicLong decodeNanos = new AtomicLong();
        DatasetWriter.Slices timed = new DatasetWriter.Slices() {
            public int width() {
                return mosaic.width();
            }

            public int height() {
                return mosaic.height();
            }

            public int depth() {
                return mosaic.depth();
            }

            public DataType dataType() {
                return mosaic.dataType();
            }

            public VoxelSize voxelSize() {
                return mosaic.voxelSize();
            }

            public double min() {
                return mosaic.min();
            }

            public double max() {
                return mosaic.max();
            }

            public float[] slice(int z) throws IOException {
                long t = System.nanoTime();
                float[] p = mosaic.slice(z);
                decodeNanos.addAndGet(System.nanoTime() - t);
                return p;
            }
        };
        CountingStore store = new CountingStore();
        DatasetWriter.Slices source = timed;
        if (viaUpload) {
            // stored as the gateway stores an upload: each plane once, in its own sample type
            String encoding = switch (type) {
                case UINT8 -> "uint8le";
                case UINT16 -> "uint16le";
                default -> "float32le";
            };
            org.zooscope.core.io.PlaneEncoding codec = new org.zooscope.core.io.PlaneEncoding(encoding);
            List<String> keys = new java.util.ArrayList<>();
            for (int z = 0; z < depth; z++) {
                keys.add(org.zooscope.core.store.StorageKeys.Uploads.plane("u-bench", z, encoding));
            }
            store.planes = key -> {
                int z = keys.indexOf(key);
                if (z < 0) {
                    return null;
                }
                try {
                    return codec.encode(timed.slice(z));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            source = new UploadedSlices(store, new org.zooscope.core.events.UploadedVolume("u-bench", null, mosaic.width(),
                    mosaic.height(), depth, type.name().toLowerCase(Locale.ROOT), mosaic.min(), mosaic.max(), 5.9, 5.9,
                    40.0, "nm", keys, List.of(), 0, null, java.util.Collections.nCopies(depth, 0L), encoding), null);
        }
        decodeNanos.set(0);
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        DatasetCard card = new DatasetWriter(store).write(new DatasetCard("bench", "bench", null, null, null, 0, 0, 0,
                null, null, 0, null, null, null, null, null), source, z -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf(Locale.ROOT, "%s%d x %d x %d %s, %d levels: %.1f s (%.1f s decoding and mirroring slices),"
                        + " %d objects, %.0f MiB stored of %.0f MiB voxels;"
                        + " peak heap (pools' peaks, summed) %.0f MiB of max %.0f MiB%n",
                viaUpload ? "via upload planes: " : "", card.width(), card.height(), card.depth(), card.dtype(),
                card.levels(), seconds, decodeNanos.get() / 1e9,
                store.objects.get(), store.bytes.get() / 1048576.0,
                (double) card.width() * card.height() * card.depth() * type.bytesPerSample() / 1048576.0,
                peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    /** Counts what is put and keeps only the small JSON objects (the writer reads back none of the chunks). */
    static final class CountingStore implements ObjectStore {
        final AtomicLong objects = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final java.util.Map<String, byte[]> json = new java.util.concurrent.ConcurrentHashMap<>();
        /** Makes an upload's plane on request (null: there are none). */
        java.util.function.Function<String, byte[]> planes;

        @Override
        public void put(String key, byte[] b, String contentType) {
            objects.incrementAndGet();
            bytes.addAndGet(b.length);
            if (contentType.equals("application/json")) {
                json.put(key, b);
            }
        }

        @Override
        public void put(String key, Path file, String contentType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] get(String key) {
            byte[] plane = planes == null ? null : planes.apply(key);
            if (plane != null) {
                return plane;
            }
            byte[] b = json.get(key);
            if (b == null) {
                throw new NoSuchObjectException(key);
            }
            return b;
        }

        @Override
        public InputStream open(String key) {
            return new java.io.ByteArrayInputStream(get(key));
        }

        @Override
        public Optional<Long> size(String key) {
            return Optional.ofNullable(json.get(key)).map(b -> (long) b.length);
        }

        @Override
        public List<String> list(String prefix) {
            return json.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
        }

        @Override
        public void deletePrefix(String prefix) {
            json.keySet().removeIf(k -> k.startsWith(prefix));
        }

        @Override
        public String uri(String key) {
            return "counting://" + key;
        }
    }
}
