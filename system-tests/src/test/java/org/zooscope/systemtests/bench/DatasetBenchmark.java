package org.zooscope.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.zooscope.core.events.EventJson;

/**
 * The hosted-dataset benchmark, on a running local stack ({@code ./zooscope up}): times region previews of
 * 1000 × 1000 × 5 in the middle of the demo dataset (submit → SUCCEEDED), then one full run over the whole dataset
 * (Mvoxel/s from submit to SUCCEEDED), sampling every service's resident memory ({@code VmRSS} from {@code /proc}, the
 * PIDs from {@code var/run/*.pid}) every 100 ms during the full run, and prints a table. No augmentation or enhancement.
 */
public final class DatasetBenchmark {
    private static final Duration POLL = Duration.ofMillis(500); // light beside what it measures
    private static final Duration PREVIEW_DEADLINE = Duration.ofMinutes(10);
    private static final Duration FULL_RUN_DEADLINE = Duration.ofMinutes(60);

    private DatasetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        String dataset = args.length > 0 ? args[0] : "sbem-mouse-cortex-demo";
        String model = args.length > 1 ? args[1] : "mito-sbem-2d";
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String gateway = System.getenv().getOrDefault("ZOOSCOPE_URL", "http://localhost:8080");
        String token = Files.readString(root.resolve("var/api-token")).strip();
        BenchApi api = BenchApi.withToken(gateway, token);
        HttpResponse<String> found = api.get("/api/v1/datasets/" + dataset);
        if (found.statusCode() != 200) {
            throw new IllegalStateException("dataset " + dataset + ": " + found.statusCode() + " " + found.body());
        }
        JsonNode card = EventJson.mapper().readTree(found.body());
        int w = card.get("width").asInt();
        int h = card.get("height").asInt();
        int d = card.get("depth").asInt();
        int rw = Math.min(1000, w);
        int rh = Math.min(1000, h);
        int rd = Math.min(5, d);
        String roi = String.format(Locale.ROOT, "{\"x\":%d,\"y\":%d,\"z\":%d,\"width\":%d,\"height\":%d,\"depth\":%d}",
                (w - rw) / 2, (h - rh) / 2, (d - rd) / 2, rw, rh, rd);

        double[] preview = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            String id = api.submit("{\"datasetId\":\"" + dataset + "\",\"roi\":" + roi + "}", model);
            String state = api.awaitFinal(id, POLL, PREVIEW_DEADLINE).get("state").asText();
            preview[r] = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "region preview %d: job %s %s in %.2f s%n", r + 1, id, state, preview[r]);
            if (!state.equals("SUCCEEDED")) {
                throw new IllegalStateException("benchmark job " + id + " ended " + state);
            }
        }

        Map<String, Long> peakRss = new ConcurrentHashMap<>();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                StackProcesses.rss(root.resolve("var/run")).forEach((name, kb) -> peakRss.merge(name, kb, Math::max));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        String full = api.submit("{\"datasetId\":\"" + dataset + "\"}", model);
        String state = api.awaitFinal(full, POLL, FULL_RUN_DEADLINE).get("state").asText();
        double fullSeconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        if (!state.equals("SUCCEEDED")) {
            throw new IllegalStateException("full run " + full + " ended " + state);
        }
        double mvoxels = (double) w * h * d / 1e6;

        System.out.printf(Locale.ROOT, "%nHosted-dataset benchmark: %s (%d x %d x %d), model %s, no augmentation, no enhancement%n",
                dataset, w, h, d, model);
        System.out.printf(Locale.ROOT, "%-44s %10s %10s%n", "", "best", "median");
        System.out.printf(Locale.ROOT, "%-44s %9.2fs %9.2fs%n", "region preview " + rw + "x" + rh + "x" + rd + " (submit -> SUCCEEDED)",
                min(preview), median(preview));
        System.out.printf(Locale.ROOT, "%-44s %9.2fs%n", "full run (submit -> SUCCEEDED)", fullSeconds);
        System.out.printf(Locale.ROOT, "%-44s %9.3f Mvoxel/s (%.1f Mvoxel)%n", "full-run throughput", mvoxels / fullSeconds, mvoxels);
        System.out.println("peak resident memory during the full run:");
        peakRss.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                System.out.printf(Locale.ROOT, "  %-24s %8.0f MiB%n", e.getKey(), e.getValue() / 1024.0));
        System.out.printf(Locale.ROOT, "cores: %d, preview runs: %d, full-run job %s%n",
                Runtime.getRuntime().availableProcessors(), runs, full);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
