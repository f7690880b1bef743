package org.zooscope.systemtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where each process of the local stack spends its CPU during a benchmark: a JFR recording ({@code settings=profile}:
 * Java execution sampled every 10 ms, native methods every 20 ms) started with {@code jcmd} in every JVM named by {@code var/run/*.pid}, and each
 * sample put in a bucket by the first frame, from the leaf down, outside the JDK's general-purpose packages (so an
 * array copy made for the overlay counts as overlay). The buckets' shares of a process's samples split the CPU-seconds
 * {@code /proc} measured for it; what sampling cannot see (GC and JIT threads, native code such as ONNX Runtime's) is
 * the process's CPU beyond its samples, printed as its own row (native code that computes — Deflate, ONNX Runtime,
 * RocksDB — is counted from its native samples). A JVM that cannot be attached to (another user's) is
 * named and left out.
 */
final class CpuProfile {
    private static final double SAMPLE_SECONDS = 0.010;
    private static final double NATIVE_SAMPLE_SECONDS = 0.020;
    /** Native code that computes (its samples are CPU), unlike a thread parked in a socket or epoll call. */
    private static final List<String> NATIVE_COMPUTE = List.of("java.util.zip.", "ai.onnxruntime.", "org.rocksdb.");
    /** Packages that say nothing about why: the frame below them does. */
    private static final List<String> GENERAL = List.of("java.lang.", "java.util.", "java.io.", "java.nio.",
            "jdk.internal.", "sun.nio.", "java.lang.invoke.", "sun.invoke.", "java.util.concurrent.");
    /** Named buckets by class-name prefix, first match wins. */
    private static final Map<String, String> BUCKETS = buckets();

    private final Path runDir;
    private final Path outDir;
    private final int runs;
    private final Map<String, Path> recordings = new TreeMap<>();
    private final List<String> notAttached = new ArrayList<>();

    private CpuProfile(Path runDir, Path outDir, int runs) {
        this.runDir = runDir;
        this.outDir = outDir;
        this.runs = runs;
    }

    /** Starts a recording in every JVM of the stack, for {@code runs} previews (the samples are divided by it). */
    static CpuProfile start(Path runDir, Path outDir, int runs) throws Exception {
        Files.createDirectories(outDir);
        CpuProfile p = new CpuProfile(runDir, outDir, runs);
        try (Stream<Path> pids = Files.list(runDir)) {
            for (Path pidFile : pids.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
                String name = pidFile.getFileName().toString().replaceFirst("\\.pid$", "");
                String pid = Files.readString(pidFile).strip();
                Path file = outDir.resolve(name + ".jfr").toAbsolutePath();
                if (jcmd(pid, "JFR.start", "name=zooscope-bench", "settings=profile", "filename=" + file)) {
                    p.recordings.put(name, file);
                } else {
                    p.notAttached.add(name);
                }
            }
        }
        return p;
    }

    /** Stops the recordings (they are written then). */
    void stop() throws Exception {
        for (Map.Entry<String, Path> r : recordings.entrySet()) {
            String pid = Files.readString(runDir.resolve(r.getKey() + ".pid")).strip();
            jcmd(pid, "JFR.stop", "name=zooscope-bench");
        }
    }

    /** Prints, per process, CPU-seconds per preview by bucket ({@code cpuPerRun}: /proc's). */
    void print(Map<String, Double> cpuPerRun) throws Exception {
        System.out.printf("%nWhere the CPU goes, per preview (JFR execution samples every 10 ms splitting each process's /proc"
                + " CPU-seconds; recordings in %s)%n", outDir);
        for (Map.Entry<String, Path> r : recordings.entrySet()) {
            double cpu = cpuPerRun.getOrDefault(r.getKey(), 0.0);
            if (!Files.isRegularFile(r.getValue())) {
                System.out.printf("%-20s no recording written%n", r.getKey());
                continue;
            }
            Map<String, Double> samples = samples(r.getValue());
            double total = samples.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf(Locale.ROOT, "%-20s %6.2f CPU-s%n", r.getKey(), cpu);
            if (total == 0) {
                continue;
            }
            // the samples stand for at most their own time; the rest of the CPU is what sampling cannot see
            double sampled = Math.min(cpu, total / runs);
            samples.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %-48s %6.2f%n", e.getKey(),
                            sampled * e.getValue() / total));
            System.out.printf(Locale.ROOT, "    %-48s %6.2f%n", "not sampled (GC, JIT, native code)", cpu - sampled);
        }
        if (!notAttached.isEmpty()) {
            System.out.println("not profiled (jcmd could not attach): " + String.join(", ", notAttached));
        }
    }

    /**
     * Sampled seconds of one recording by bucket: Java execution samples (every 10 ms) and, for native code that
     * computes rather than waits (zlib's Deflate, ONNX Runtime, RocksDB), native-method samples (every 20 ms; a thread
     * blocked in a socket or epoll call is also "in native", so other native samples are not counted).
     */
    static Map<String, Double> samples(Path jfr) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                out.merge(bucket(frames), SAMPLE_SECONDS, Double::sum);
            } else if (type.equals("jdk.NativeMethodSample") && computesInNative(frames.get(0))) {
                out.merge(bucket(frames), NATIVE_SAMPLE_SECONDS, Double::sum);
            }
        }
        return out;
    }

    private static boolean computesInNative(RecordedFrame leaf) {
        String cls = leaf.getMethod() == null || leaf.getMethod().getType() == null ? "" : leaf.getMethod().getType().getName();
        return NATIVE_COMPUTE.stream().anyMatch(cls::startsWith);
    }

    /** The bucket of one stack (frames from the leaf down). */
    static String bucket(List<RecordedFrame> frames) {
        String fallback = null;
        for (RecordedFrame f : frames) {
            if (f.getMethod() == null || f.getMethod().getType() == null) {
                continue;
            }
            String cls = f.getMethod().getType().getName();
            for (Map.Entry<String, String> b : BUCKETS.entrySet()) {
                if (cls.startsWith(b.getKey())) {
                    return b.getValue();
                }
            }
            if (fallback == null) {
                fallback = cls;
            }
            if (GENERAL.stream().noneMatch(cls::startsWith)) {
                return packageOf(cls);
            }
        }
        return fallback == null ? "(no frames)" : packageOf(fallback);
    }

    /** The bucket of one class on its own (no frames below it to say why): its named bucket, or its package. */
    static String bucketOfClass(String cls) {
        for (Map.Entry<String, String> b : BUCKETS.entrySet()) {
            if (cls.startsWith(b.getKey())) {
                return b.getValue();
            }
        }
        return packageOf(cls);
    }

    private static String packageOf(String cls) {
        if (cls.startsWith("org.zooscope.")) {
            // a Zooscope class names its own bucket: the feature package and the class
            return cls.substring("org.zooscope.".length());
        }
        String[] parts = cls.split("\\.");
        return parts.length <= 3 ? cls : String.join(".", parts[0], parts[1], parts[2]);
    }

    private static Map<String, String> buckets() {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("software.amazon.awssdk.http.auth.aws.internal.signer", "S3 client: SigV4 signing");
        b.put("software.amazon.awssdk.auth.signer", "S3 client: SigV4 signing");
        b.put("software.amazon.awssdk.core.internal.checksums", "S3 client: checksums");
        b.put("software.amazon.awssdk", "S3 client: other");
        b.put("sun.security.provider.", "hashing (SHA-256, MD5)");
        b.put("java.security.MessageDigest", "hashing (SHA-256, MD5)");
        b.put("com.google.common.hash", "hashing (SHA-256, MD5)");
        b.put("java.util.zip.", "Deflate/CRC (PNG, zip)");
        b.put("org.apache.kafka.common.record", "Kafka: record batches");
        b.put("org.apache.kafka.clients", "Kafka client");
        b.put("org.apache.kafka.streams", "Kafka Streams");
        b.put("kafka.", "Kafka broker");
        b.put("org.apache.kafka", "Kafka: other");
        b.put("org.rocksdb", "RocksDB (state stores)");
        b.put("com.fasterxml.jackson", "JSON (Jackson)");
        b.put("org.eclipse.jetty", "HTTP server (Jetty)");
        b.put("io.netty", "network (Netty)");
        b.put("reactor.", "Reactor");
        b.put("org.springframework", "Spring");
        b.put("org.opensearch", "OpenSearch");
        b.put("org.apache.lucene", "OpenSearch: Lucene");
        b.put("org.gaul.s3proxy", "s3proxy");
        b.put("org.jclouds", "s3proxy: jclouds blob store");
        b.put("sun.nio.ch", "network/file I/O");
        b.put("sun.nio.fs", "network/file I/O");
        b.put("java.io.FileOutputStream", "network/file I/O");
        b.put("java.io.FileInputStream", "network/file I/O");
        b.put("java.io.RandomAccessFile", "network/file I/O");
        return b;
    }

    /** Runs {@code jcmd pid args...}; false when it could not attach. */
    private static boolean jcmd(String pid, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 && !out.contains("Exception") && !out.contains("Unable to open socket");
    }
}
