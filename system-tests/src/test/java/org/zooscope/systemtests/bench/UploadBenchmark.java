package org.zooscope.systemtests.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.zooscope.core.dataset.MosaicSlices;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.store.S3Settings;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.systemtests.TestStacks;

/**
 * The upload benchmark (issue 21, "uploads at disk speed"): on a running local stack ({@code ./zooscope up}), builds a
 * 2048 × 2048 × 48 16-bit stack of real SBEM (each slice a 2 × 2 mirror mosaic of one of the demo dataset's 1024²
 * slices, z forth and back through them, values {@code grey × 16 + 100}; a plain uncompressed TIFF, 402 MB), uploads
 * it {@code runs} times with {@code curl -F}, and prints per run the seconds, MB/s, the bytes the upload holds in S3
 * (its keys listed) and their ratio to the file, and the gateway's heap peak (used heap from {@code jstat -gc} every
 * 100 ms). Then the ceiling: the same file PUT straight to the S3 server with curl, and written through the project's
 * S3 writer (8 MiB parts, as an upload is), without the gateway, with and without bodies in the SigV4 signature.
 * Run: {@code system-tests/bench-upload [runs]}.
 */
public final class UploadBenchmark {
    private static final int SIDE = 2048;
    private static final int DEPTH = 48;

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String gateway = System.getenv().getOrDefault("ZOOSCOPE_URL", "http://localhost:8080");
        String token = Files.readString(root.resolve("var/api-token")).strip();
        Path file = stack(root);
        long fileBytes = Files.size(file);
        S3Settings s3 = s3(root);
        String gatewayPid = Files.readString(root.resolve("var/run/gateway.pid")).strip();

        List<String> rows = new ArrayList<>();
        try (S3ObjectStore store = S3ObjectStore.connect(s3)) {
            for (int r = 1; r <= runs; r++) {
                HeapPeak heap = HeapPeak.start(gatewayPid);
                long t0 = System.nanoTime();
                String answer = run("curl", "-sS", "-H", "Authorization: Bearer " + token, "-F", "file=@" + file,
                        gateway + "/api/v1/uploads");
                double seconds = (System.nanoTime() - t0) / 1e9;
                long heapPeak = heap.stop();
                JsonNode up = new ObjectMapper().readTree(answer);
                if (!up.has("id")) {
                    throw new IllegalStateException("upload refused: " + answer);
                }
                String id = up.get("id").asText();
                SortedMap<String, Long> keys = store.sizes(StorageKeys.Uploads.prefix(id));
                long stored = keys.values().stream().mapToLong(Long::longValue).sum();
                if (r == 1) {
                    // by folder: a stack stored as planes has one object per plane
                    Map<String, long[]> folders = new java.util.TreeMap<>();
                    keys.forEach((k, n) -> {
                        long[] f = folders.computeIfAbsent(k.substring(0, k.lastIndexOf('/') + 1), x -> new long[2]);
                        f[0]++;
                        f[1] += n;
                    });
                    System.err.println("objects of upload " + id + ":");
                    folders.forEach((f, c) -> System.err.println("  " + f + "  " + c[0] + " object(s), " + c[1] + " bytes"));
                }
                rows.add(String.format(Locale.ROOT, "%-4d %-28s %9.1f %8.2f %8.1f %13d %7d %7.2f %10.0f", r, id,
                        fileBytes / 1e6, seconds, fileBytes / 1e6 / seconds, stored, keys.size(),
                        (double) stored / fileBytes, heapPeak / 1048576.0));
                System.err.println(rows.get(rows.size() - 1));
                store.deletePrefix(StorageKeys.Uploads.prefix(id)); // leave the quota as it was
            }
            // the payload unsigned, so the figure is the server's, not a hash of 402 MB on the client
            double curlPut = timed(() -> run("curl", "-sS", "-f", "--aws-sigv4", "aws:amz:" + s3.region() + ":s3",
                    "--user", s3.accessKey() + ":" + s3.secretKey(), "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                    "-T", file.toString(), s3.endpoint() + "/" + s3.bucket() + "/bench/ceiling-curl.tif"));
            double writer = timed(() -> writeThroughStore(store, file, "bench/ceiling-writer.tif"));
            double signedWriter;
            try (S3ObjectStore signing = S3ObjectStore.connect(new S3Settings(s3.endpoint(), s3.accessKey(),
                    s3.secretKey(), s3.bucket(), s3.region(), true))) {
                signedWriter = timed(() -> writeThroughStore(signing, file, "bench/ceiling-signed-writer.tif"));
            }
            store.deletePrefix("bench/ceiling-");

            System.out.printf("%nUpload of %s (%d x %d x %d, uint16, real SBEM), %d cores, load %s%n",
                    file.getFileName(), SIDE, SIDE, DEPTH, Runtime.getRuntime().availableProcessors(), load());
            System.out.printf("%-4s %-28s %9s %8s %8s %13s %7s %7s %10s%n", "run", "upload", "file MB", "seconds",
                    "MB/s", "bytes stored", "objects", "ratio", "heap MiB");
            rows.forEach(System.out::println);
            System.out.printf(Locale.ROOT, "ceiling, curl PUT to S3 (one request):        %6.2f s  %7.1f MB/s%n", curlPut,
                    fileBytes / 1e6 / curlPut);
            System.out.printf(Locale.ROOT, "ceiling, S3ObjectStore.writer (8 MiB parts):  %6.2f s  %7.1f MB/s%n", writer,
                    fileBytes / 1e6 / writer);
            System.out.printf(Locale.ROOT, "  the same, payloads signed (as before):      %6.2f s  %7.1f MB/s%n",
                    signedWriter, fileBytes / 1e6 / signedWriter);
        }
    }

    /** The stack, built once under {@code var/bench/}. */
    private static Path stack(Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("var/bench"));
        Path file = dir.resolve("sbem-" + SIDE + "x" + SIDE + "x" + DEPTH + "-uint16.tif");
        if (Files.exists(file)) {
            return file;
        }
        List<Path> slices;
        try (Stream<Path> s = Files.list(root.resolve("samples/demo-dataset"))) {
            slices = s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
        MosaicSlices mosaic = new MosaicSlices(slices, SIDE / 1024, DEPTH, DataType.UINT16, 16, 100,
                VoxelSize.unknown());
        Path partial = dir.resolve(file.getFileName() + ".part");
        TestStacks.writeUint16Tiff(partial, SIDE, DEPTH, mosaic::slice);
        Files.move(partial, file);
        return file;
    }

    private static S3Settings s3(Path root) throws IOException {
        Map<String, String> kv = new HashMap<>();
        for (String line : Files.readAllLines(root.resolve("var/s3-credentials"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new S3Settings(URI.create(kv.get("endpoint")), kv.get("access_key"), kv.get("secret_key"),
                kv.get("bucket"), S3Settings.DEFAULT_REGION);
    }

    private static void writeThroughStore(ObjectStore store, Path file, String key) throws IOException {
        ObjectStore.ObjectWriter w = store.writer(key, "application/octet-stream");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                w.write(buf, 0, n);
            }
        }
        w.finish();
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Seconds the step took, NaN (reported) when it failed. */
    private static double timed(Step step) {
        long t0 = System.nanoTime();
        try {
            step.run();
        } catch (Exception e) {
            System.err.println("ceiling not measured: " + e.getMessage());
            return Double.NaN;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The largest used heap {@code jstat -gc} reports (survivors + eden + old) while it runs. */
    private static final class HeapPeak {
        private final Process jstat;
        private final AtomicLong peak = new AtomicLong();
        private final Thread reader;

        private HeapPeak(Process jstat) {
            this.jstat = jstat;
            this.reader = new Thread(this::read, "jstat-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static HeapPeak start(String pid) throws IOException {
            return new HeapPeak(new ProcessBuilder("jstat", "-gc", pid, "100").redirectErrorStream(true).start());
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                    StandardCharsets.UTF_8))) {
                List<String> header = null;
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 0 && f[0].equals("S0C")) {
                        header = Arrays.asList(f);
                        continue;
                    }
                    if (header == null || f.length != header.size()) {
                        continue;
                    }
                    double kb = 0;
                    for (String col : List.of("S0U", "S1U", "EU", "OU")) {
                        kb += Double.parseDouble(f[header.indexOf(col)]);
                    }
                    long bytes = (long) (kb * 1024);
                    peak.accumulateAndGet(bytes, Math::max);
                }
            } catch (IOException | RuntimeException e) {
                // jstat ended
            }
        }

        long stop() throws InterruptedException {
            jstat.destroy();
            reader.join(2000);
            return peak.get();
        }
    }
}
