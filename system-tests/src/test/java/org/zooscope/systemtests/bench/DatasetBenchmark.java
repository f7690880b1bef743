package org.zooscope.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** HTTP/1.1 and a timeout on every call: the JDK client's h2c upgrade once left a status poll hanging here. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    private DatasetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        String dataset = args.length > 0 ? args[0] : "sbem-mouse-cortex-demo";
        String model = args.length > 1 ? args[1] : "mito-sbem-2d";
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String gateway = System.getenv().getOrDefault("ZOOSCOPE_URL", "http://localhost:8080");
        String token = Files.readString(root.resolve("var/api-token")).strip();
        JsonNode card = json(send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/datasets/" + dataset))
                .header("Authorization", "Bearer " + token).GET().build()));
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
            String id = submit(gateway, token, "{\"datasetId\":\"" + dataset + "\",\"roi\":" + roi + "}", model);
            String state = awaitFinal(gateway, token, id);
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
        String full = submit(gateway, token, "{\"datasetId\":\"" + dataset + "\"}", model);
        String state = awaitFinal(gateway, token, full);
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

    private static String submit(String gateway, String token, String input, String model) throws Exception {
        String body = "{\"input\":" + input + ",\"models\":[\"" + model + "\"],\"enhance\":false,\"augmentation\":\"none\"}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
        }
        return json(r).get("id").asText();
    }

    /** Follows the job's status until it ends; polls twice a second (light beside what it measures). */
    private static String awaitFinal(String gateway, String token, String id) throws Exception {
        while (true) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/jobs/" + id))
                    .header("Authorization", "Bearer " + token).GET().build());
            if (r.statusCode() == 200) {
                String state = json(r).get("state").asText();
                if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                    return state;
                }
            }
            Thread.sleep(500);
        }
    }

    private static HttpResponse<String> send(HttpRequest r) throws Exception {
        HttpRequest timed = HttpRequest.newBuilder(r, (name, value) -> true).timeout(java.time.Duration.ofSeconds(30)).build();
        return HTTP.send(timed, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        if (r.statusCode() >= 400) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return EventJson.mapper().readTree(r.body());
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
