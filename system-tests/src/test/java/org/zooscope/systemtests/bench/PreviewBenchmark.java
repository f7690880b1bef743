package org.zooscope.systemtests.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.ModelTiling;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.volume.Volume;

/**
 * The preview benchmark (issue: end-to-end ≤ 10 s, ratio ≤ 1.10): on a running local stack ({@code ./zooscope up}),
 * uploads a 1000 × 1000 × 5 stack made from the bundled real SBEM slices, runs one 1-frame model without
 * augmentation, and times submit → SUCCEEDED (followed through the job's server-sent events); then, in a child JVM,
 * runs bare ONNX Runtime on the very same tiles (same grid, halo and normalisation) and prints both and their ratio. Run: {@code system-tests/bench-preview [model]}.
 */
public final class PreviewBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PreviewBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--bare")) {
            bareMain(args);
            return;
        }
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        String model = args.length > 0 ? args[0] : "membrane-isbi-2d";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String gateway = System.getenv().getOrDefault("ZOOSCOPE_URL", "http://localhost:8080");
        String token = Files.readString(root.resolve("var/api-token")).strip();
        Path tmp = Files.createTempDirectory("zooscope-bench");
        Path stack = org.zooscope.systemtests.TestStacks.mirroredSample(tmp, 1000);

        String uploadId = json(upload(gateway, token, stack)).get("id").asText();
        System.err.println("uploaded " + stack.getFileName() + " as " + uploadId);
        double[] e2e = new double[runs];
        // -Dzooscope.warmup=N: N previews first, not measured: a service that has run a while has compiled its code,
        // and the JIT compilers' share of the first previews after a start is not what a preview costs
        int warmup = Integer.getInteger("zooscope.warmup", 0);
        for (int w = 0; w < warmup; w++) {
            Preview done = preview(gateway, token, uploadId, model, System.nanoTime(), new java.util.LinkedHashMap<>());
            System.err.printf("warm-up %d of %d: %s%n", w + 1, warmup, done.state());
        }
        // -Dzooscope.profile=DIR: also where each process's CPU goes (JFR), recordings written to DIR
        String profileDir = System.getProperty("zooscope.profile");
        CpuProfile profile = profileDir == null ? null : CpuProfile.start(root.resolve("var/run"), Path.of(profileDir), runs);
        // -Dzooscope.perf=DIR: all of each process's CPU, by what ran and on which thread (Linux perf), data in DIR
        String perfDir = System.getProperty("zooscope.perf");
        PerfProfile perf = perfDir == null ? null : PerfProfile.start(root.resolve("var/run"), Path.of(perfDir), runs);
        // -Dzooscope.idle=S (default 20): first S seconds with no job, so the table can say how much of a preview's
        // CPU-seconds every process would have spent anyway (polls, heartbeats, timers) in as many seconds
        double idleSeconds = Double.parseDouble(System.getProperty("zooscope.idle", "20"));
        Map<String, Double> idleRate = idleRates(root.resolve("var/run"), idleSeconds);
        String bootstrap = System.getenv().getOrDefault("ZOOSCOPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        Map<String, Long> recordsBefore = StackTraffic.kafkaRecords(bootstrap);
        long[] s3Before = StackTraffic.s3Bytes(root.resolve("var/run"));
        Map<String, Double> cpuBefore = StackProcesses.snapshot(root.resolve("var/run"));
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            java.util.Map<String, Double> stageSeen = new java.util.LinkedHashMap<>();
            Preview done = preview(gateway, token, uploadId, model, t0, stageSeen);
            String id = done.jobId();
            String state = done.state();
            e2e[r] = (System.nanoTime() - t0) / 1e9;
            StringBuilder stages = new StringBuilder();
            stageSeen.forEach((stage, at) -> stages.append(String.format(java.util.Locale.ROOT, " %s@%.2f", stage, at)));
            System.err.printf("run %d: job %s %s in %.2f s; stages first seen at (s):%s%n", r + 1, id, state, e2e[r], stages);
            if (!state.equals("SUCCEEDED")) {
                throw new IllegalStateException("benchmark job " + id + " ended " + state);
            }
        }

        Map<String, Double> cpuAfter = StackProcesses.snapshot(root.resolve("var/run"));
        long[] s3After = StackTraffic.s3Bytes(root.resolve("var/run"));
        Map<String, Long> recordsAfter = StackTraffic.kafkaRecords(bootstrap);
        Map<String, Double> cpuPerRun = new java.util.TreeMap<>();
        cpuAfter.forEach((name, cpu) -> cpuPerRun.put(name, (cpu - cpuBefore.getOrDefault(name, 0.0)) / runs));
        if (profile != null) {
            profile.stop();
        }
        if (perf != null) {
            perf.stop();
        }

        System.err.println("bare ONNX Runtime on the same tiles...");
        Path pkg = root.resolve("zoo").resolve(model);
        String[] bareResult = bareInChildJvm(pkg, stack, runs).split(" ");
        int tiles = Integer.parseInt(bareResult[0]);
        double[] bare = java.util.Arrays.stream(bareResult).skip(1).mapToDouble(Double::parseDouble).toArray();
        double bestE2e = min(e2e);
        double bestBare = min(bare);
        System.out.printf("%nPreview benchmark: %s, 1000 x 1000 x 5 (real SBEM slices, 8-bit), no augmentation, no enhancement, %d tiles%n",
                model, tiles);
        System.out.printf("%-34s %10s %10s%n", "", "best (s)", "median (s)");
        System.out.printf("%-34s %10.2f %10.2f%n", "end to end (submit -> SUCCEEDED)", bestE2e, median(e2e));
        System.out.printf("%-34s %10.2f %10.2f%n", "bare ONNX Runtime, same tiles", bestBare, median(bare));
        System.out.printf("%-34s %10.2f%n", "ratio (best / best)", bestE2e / bestBare);
        System.out.printf("cores: %d, runs: %d%n", Runtime.getRuntime().availableProcessors(), runs);
        printCpu(cpuBefore, cpuAfter, runs, idleRate, java.util.Arrays.stream(e2e).sum() / runs);
        System.out.printf("%nPer preview, what moved: records written to each Kafka topic (end offsets: transaction markers%n"
                + "count; __transaction_state holds about three records per transaction), the S3 server's bytes%n");
        StackTraffic.lines(StackTraffic.perRun(recordsBefore, recordsAfter, runs)).forEach(System.out::println);
        System.out.printf(java.util.Locale.ROOT, "%-44s %8.1f%n%-44s %8.1f%n", "S3 server, MB read (sockets in + files out)",
                (s3After[0] - s3Before[0]) / 1e6 / runs, "S3 server, MB written (files + sockets out)",
                (s3After[1] - s3Before[1]) / 1e6 / runs);
        if (profile != null) {
            profile.print(cpuPerRun);
        }
        if (perf != null) {
            perf.print(cpuPerRun);
        }
    }

    /** CPU-seconds per second of each process of the idle stack, over {@code seconds}. */
    private static Map<String, Double> idleRates(Path runDir, double seconds) throws Exception {
        Thread.sleep(5_000); // the last warm-up's tail (the catalog's indexing, the SSE streams closing) is not idle
        Map<String, Double> before = StackProcesses.snapshot(runDir);
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000)); // the measurement itself: nothing may run meanwhile
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> after = StackProcesses.snapshot(runDir);
        Map<String, Double> rates = new java.util.TreeMap<>();
        after.forEach((name, cpu) -> rates.put(name, (cpu - before.getOrDefault(name, 0.0)) / elapsed));
        return rates;
    }

    /**
     * CPU-seconds per preview of each process (from /proc), what it would have spent idle in as many seconds, and what
     * the rest costs beside the worker, with and without that idle share.
     */
    private static void printCpu(Map<String, Double> before, Map<String, Double> after, int runs,
                                 Map<String, Double> idleRate, double secondsPerRun) {
        System.out.printf("%nCPU-seconds per preview, by process (/proc/<pid>/stat, the process and its children);%n"
                + "idle: what it spends with no job in %.2f s, a preview's mean duration%n", secondsPerRun);
        System.out.printf("%-34s %10s %10s %10s%n", "", "total", "idle", "the rest");
        double worker = 0;
        double others = 0;
        double othersIdle = 0;
        java.util.List<Map.Entry<String, Double>> rows = new java.util.ArrayList<>();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double used = (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / runs;
            rows.add(Map.entry(e.getKey(), used));
            if (e.getKey().startsWith("gpu-worker")) {
                worker += used;
            } else {
                others += used;
                othersIdle += idleRate.getOrDefault(e.getKey(), 0.0) * secondsPerRun;
            }
        }
        rows.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        for (Map.Entry<String, Double> r : rows) {
            double idle = idleRate.getOrDefault(r.getKey(), 0.0) * secondsPerRun;
            System.out.printf("%-34s %10.2f %10.2f %10.2f%n", r.getKey(), r.getValue(), idle, r.getValue() - idle);
        }
        System.out.printf("%-34s %10.2f %10.2f %10.2f%n", "all but the worker", others, othersIdle, others - othersIdle);
        System.out.printf("%-34s %10.2f  (goal <= 0.25)%n", "all but the worker / worker", worker > 0 ? others / worker : Double.NaN);
        System.out.printf("%-34s %10.2f%n", "the same, idle share left out", worker > 0 ? (others - othersIdle) / worker : Double.NaN);
    }

    /**
     * One preview of the upload with the model, followed through its server-sent events, as the web page gets them
     * (polling every few ms would itself load the 2 cores it measures); each stage is noted when first seen.
     */
    private static Preview preview(String gateway, String token, String uploadId, String model, long t0,
                                  java.util.Map<String, Double> stageSeen) throws Exception {
        String body = "{\"input\":{\"uploadId\":\"" + uploadId + "\"},\"models\":[\"" + model
                + "\"],\"enhance\":false,\"augmentation\":\"none\"}";
        JsonNode job = json(send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()));
        String id = job.get("id").asText();
        return new Preview(id, followEvents(gateway, token, id, t0, stageSeen));
    }

    /** A benchmark preview's job and the state it ended in. */
    private record Preview(String jobId, String state) {
    }

    /** Reads the job's status events until a final state; returns it. */
    private static String followEvents(String gateway, String token, String id, long t0, java.util.Map<String, Double> stageSeen)
            throws Exception {
        long until = System.nanoTime() + java.time.Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < until) {
            HttpResponse<java.util.stream.Stream<String>> events = HTTP.send(HttpRequest.newBuilder(
                            URI.create(gateway + "/api/v1/jobs/" + id + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            if (events.statusCode() == 404) {
                events.body().close();
                Thread.sleep(20); // the job's first status is not at the gateway yet
                continue;
            }
            try (java.util.stream.Stream<String> lines = events.body()) {
                java.util.Iterator<String> it = lines.iterator();
                String state = null;
                while (it.hasNext()) {
                    String line = it.next();
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    JsonNode status = EventJson.mapper().readTree(line.substring(5).strip());
                    state = status.get("state").asText();
                    stageSeen.putIfAbsent(status.path("stage").asText(state), (System.nanoTime() - t0) / 1e9);
                    if (BenchApi.isFinal(status)) {
                        return state;
                    }
                }
                if (state == null) {
                    throw new IllegalStateException("the event stream of job " + id + " ended without a status");
                }
            }
        }
        throw new IllegalStateException("job " + id + " not final after 10 min");
    }

    /**
     * Bare ONNX Runtime runs in a child JVM whose class path holds only ONNX Runtime and the imaging core: in this JVM,
     * beside the HTTP, Kafka and S3 clients, ONNX Runtime 1.29's native start-up crashed (SIGSEGV) here.
     */
    private static String bareInChildJvm(Path pkg, Path stack, int runs) throws Exception {
        String cp = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(j -> j.contains("test-classes") || j.endsWith("core/target/classes") || j.matches(".*(zooscope-core|jackson|twelvemonkeys|snakeyaml|"
                        + "slf4j-api|onnxruntime-1|commons-|json-schema|itu-).*"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                PreviewBenchmark.class.getName(), "--bare", pkg.toString(), stack.toString(), Integer.toString(runs))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bare ONNX Runtime run failed (exit " + p.exitValue() + ")");
        }
        return out;
    }

    /** Child JVM: prints "tiles seconds..." for each run. */
    private static void bareMain(String[] args) throws Exception {
        Path pkg = Path.of(args[1]);
        Volume volume = VolumeReader.read(Path.of(args[2]), ReadLimits.defaults());
        int runs = Integer.parseInt(args[3]);
        ModelDescription d = ModelDescriptionParser.parse(Files.newInputStream(pkg.resolve("bioimageio.yaml")));
        StringBuilder out = new StringBuilder();
        long[] counted = new long[1];
        for (int r = 0; r < runs; r++) {
            counted[0] = 0;
            double s = bareOnnxRuntime(volume, d, pkg.resolve(d.weightsSource()), counted);
            out.append(' ').append(s);
        }
        System.out.println(counted[0] + out.toString());
    }

    /** The same grid, halo, mirroring and whole-volume normalisation the pipeline uses, through OrtSession.run. */
    static double bareOnnxRuntime(Volume v, ModelDescription d, Path onnx, long[] tiles) throws Exception {
        int w = v.width();
        int h = v.height();
        float[][] planes = new float[v.depth()][w * h];
        for (int z = 0; z < v.depth(); z++) {
            v.copyPlane(z, planes[z]);
        }
        TileGrid grid = ModelTiling.layout(d, w, h, ModelTiling.DEFAULT_TILE_SIZE).grid(w, h);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(onnx.toString(), so)) {
                String input = session.getInputNames().iterator().next();
                long t0 = System.nanoTime();
                for (int z = 0; z < v.depth(); z++) {
                    for (Tile t : grid.tiles()) {
                        float[] x = TileExtractor.extract(planes[z], w, h, grid, t);
                        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                                new long[] {1, 1, grid.paddedHeight(t), grid.paddedWidth(t)});
                             OrtSession.Result r = session.run(Map.of(input, in))) {
                            ((OnnxTensor) r.get(0)).getFloatBuffer();
                        }
                        tiles[0]++;
                    }
                }
                return (System.nanoTime() - t0) / 1e9;
            }
        }
    }

    private static HttpResponse<String> upload(String gateway, String token, Path file) throws Exception {
        String boundary = "----bench" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: image/tiff\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(file));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/uploads")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).timeout(Duration.ofMinutes(2)).build());
    }

    private static HttpResponse<String> send(HttpRequest r) throws Exception {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
        return EventJson.mapper().readTree(r.body());
    }

    private static double min(double[] a) {
        return java.util.Arrays.stream(a).min().orElseThrow();
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
