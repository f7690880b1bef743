package org.zooscope.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.zooscope.core.events.EventJson;

/**
 * The load benchmark, on a running local stack ({@code ./zooscope up}): N users at once, each its own browser session
 * (its own owner, so its own quotas), each uploading a 256 × 256 × 2 region cut from the demo dataset (real SBEM from
 * the bundled samples; every user a different region) and running a preview on it (one model, no augmentation, no
 * enhancement), polling its job's status once a second as the page does while it runs. Measures every status call's
 * latency, previews per minute, and each service's resident memory ({@code VmRSS} from {@code /proc}) during the run;
 * while the jobs run, {@code wrk} also reads one job's status as fast as it can. Prints a table.
 */
public final class LoadBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration USER_DEADLINE = Duration.ofMinutes(30);
    private static final String BOUNDARY = "zooscope-load-boundary";

    /** One status call: when it began (nanoTime) and how long it took. */
    private record Call(long at, double millis) {
    }

    private record UserResult(String jobId, String state, int submitStatus, double uploadSeconds, double seconds) {
    }

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String model = args.length > 1 ? args[1] : "mito-sbem-2d";
        String dataset = args.length > 2 ? args[2] : "sbem-mouse-brain-demo";
        int wrkSeconds = Integer.parseInt(System.getProperty("zooscope.load.wrk-seconds", "20"));
        String gateway = System.getenv().getOrDefault("ZOOSCOPE_URL", "http://localhost:8080");

        // every user's region, cut from the dataset before the clock starts
        JsonNode card = json(send(get(gateway + "/api/v1/datasets/" + dataset).build()));
        int w = card.get("width").asInt();
        int h = card.get("height").asInt();
        int d = card.get("depth").asInt();
        int across = w / 256;
        int down = h / 256;
        List<byte[]> regions = new ArrayList<>();
        Map<String, byte[]> cut = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            int cell = u % (across * down);
            int z = (u / (across * down)) * 2 % Math.max(1, d - 1);
            String q = String.format(Locale.ROOT, "x=%d&y=%d&z=%d&width=256&height=256&depth=2",
                    (cell % across) * 256, (cell / across) * 256, z);
            regions.add(cut.computeIfAbsent(q, k -> {
                try {
                    HttpResponse<byte[]> r = HTTP.send(get(gateway + "/api/v1/datasets/" + dataset + "/region.tif?" + k).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("region " + k + " answered " + r.statusCode());
                    }
                    return r.body();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }

        List<Call> statusCalls = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> peakRss = new ConcurrentHashMap<>();
        Map<String, Long> startRss = StackProcesses.rss(root.resolve("var/run"));
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                StackProcesses.rss(root.resolve("var/run")).forEach((name, kb) -> peakRss.merge(name, kb, Math::max));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);

        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch submitted = new CountDownLatch(users);
        AtomicInteger failures = new AtomicInteger();
        List<UserResult> results = Collections.synchronizedList(new ArrayList<>());
        String[] watched = new String[2]; // a job id and its owner's cookie, for wrk
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            byte[] region = regions.get(u);
            Thread t = new Thread(() -> {
                try {
                    results.add(user(gateway, model, region, go, submitted, statusCalls, watched));
                } catch (Exception e) {
                    failures.incrementAndGet();
                    System.err.println("a user failed: " + e);
                }
            }, "user-" + u);
            t.start();
            threads.add(t);
        }
        sampler.start();
        long t0 = System.nanoTime();
        go.countDown();
        submitted.await();
        long submittedAt = System.nanoTime();
        double allSubmitted = (submittedAt - t0) / 1e9;
        long wrkFrom = System.nanoTime();
        String wrk = watched[0] == null ? "no job to watch" : wrk(gateway, watched[0], watched[1], wrkSeconds);
        long wrkTo = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();

        long ok = results.stream().filter(r -> "SUCCEEDED".equals(r.state())).count();
        long refused = results.stream().filter(r -> r.submitStatus() != 202).count();
        List<Call> calls = new ArrayList<>(statusCalls);
        double[] perUser = results.stream().filter(r -> r.seconds() > 0).mapToDouble(UserResult::seconds).sorted().toArray();
        double[] uploads = results.stream().mapToDouble(UserResult::uploadSeconds).sorted().toArray();

        System.out.printf(Locale.ROOT, "%nLoad benchmark: %d users at once, each its own session: upload a 256 x 256 x 2 region of %s,"
                + " preview it with %s (no augmentation, no enhancement), poll its status every second%n", users, dataset, model);
        System.out.printf(Locale.ROOT, "%-40s %s%n", "previews succeeded", ok + "/" + users
                + (refused > 0 ? " (" + refused + " refused at submit)" : "") + (failures.get() > 0 ? " (" + failures.get() + " users failed)" : ""));
        System.out.printf(Locale.ROOT, "%-40s %.1f s (all submitted after %.1f s)%n", "all jobs final after", seconds, allSubmitted);
        System.out.printf(Locale.ROOT, "%-40s %.1f%n", "previews per minute", ok / (seconds / 60));
        System.out.printf(Locale.ROOT, "%-40s p50 %.1f s, p95 %.1f s, max %.1f s%n", "one user's upload",
                pct(uploads, 50), pct(uploads, 95), pct(uploads, 100));
        System.out.printf(Locale.ROOT, "%-40s p50 %.1f s, p95 %.1f s, max %.1f s%n", "one user's upload to final state",
                pct(perUser, 50), pct(perUser, 95), pct(perUser, 100));
        // wrk takes all the CPU it can get: the users' calls while it ran are shown apart
        printLatency("users' status calls (1/s each), all", calls.stream());
        printLatency("  while wrk did not run", calls.stream().filter(c -> c.at() < wrkFrom || c.at() > wrkTo));
        printLatency("  while wrk ran", calls.stream().filter(c -> c.at() >= wrkFrom && c.at() <= wrkTo));
        // the gateway decodes the uploads meanwhile
        printLatency("  before every job was submitted", calls.stream().filter(c -> c.at() < submittedAt));
        printLatency("  after, wrk not running", calls.stream().filter(c -> c.at() >= submittedAt && c.at() > wrkTo));
        System.out.printf(Locale.ROOT, "%-40s %s%n", "wrk on one job's status, " + wrkSeconds + " s", wrk);
        System.out.println("resident memory per service (at start -> peak during the run):");
        peakRss.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                System.out.printf(Locale.ROOT, "  %-24s %6.0f -> %6.0f MiB%n", e.getKey(),
                        startRss.getOrDefault(e.getKey(), 0L) / 1024.0, e.getValue() / 1024.0));
        System.out.printf(Locale.ROOT, "cores: %d, load average at the end: %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip());
    }

    /** One user: a session, an upload, a job, then its status once a second until it ends. */
    private static UserResult user(String gateway, String model, byte[] region, CountDownLatch go, CountDownLatch submitted,
                                   List<Call> statusCalls, String[] watched) throws Exception {
        go.await();
        HttpResponse<String> job;
        String cookie;
        double uploadSeconds;
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> page = send(get(gateway + "/").build());
            cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            HttpResponse<String> up = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/uploads"))
                    .header("Cookie", cookie).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(region))).build());
            String uploadId = json(up).get("id").asText();
            uploadSeconds = (System.nanoTime() - t0) / 1e9;
            String body = "{\"input\":{\"uploadId\":\"" + uploadId + "\"},\"models\":[\"" + model
                    + "\"],\"enhance\":false,\"augmentation\":\"none\"}";
            job = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/jobs")).header("Cookie", cookie)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        } finally {
            // once per user, whether its upload and submit worked or not: "all submitted" means every user got this far
            submitted.countDown();
        }
        if (job.statusCode() != 202) {
            System.err.println("submit answered " + job.statusCode() + ": " + job.body());
            return new UserResult(null, null, job.statusCode(), uploadSeconds, 0);
        }
        String id = json(job).get("id").asText();
        synchronized (watched) {
            if (watched[0] == null) {
                watched[0] = id;
                watched[1] = cookie;
            }
        }
        long until = System.nanoTime() + USER_DEADLINE.toNanos();
        while (System.nanoTime() < until) {
            long s0 = System.nanoTime();
            HttpResponse<String> r = send(get(gateway + "/api/v1/jobs/" + id).header("Cookie", cookie).build());
            statusCalls.add(new Call(s0, (System.nanoTime() - s0) / 1e6));
            JsonNode status = json(r);
            if (BenchApi.isFinal(status)) {
                return new UserResult(id, status.get("state").asText(), 202, uploadSeconds, (System.nanoTime() - t0) / 1e9);
            }
            Thread.sleep(1000); // the page's pace; a benchmark's driver, not a test
        }
        return new UserResult(id, "NOT FINAL after " + USER_DEADLINE.toMinutes() + " min", 202, uploadSeconds,
                (System.nanoTime() - t0) / 1e9);
    }

    private static void printLatency(String label, Stream<Call> calls) {
        double[] l = calls.mapToDouble(Call::millis).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-40s %d calls: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                label, l.length, pct(l, 50), pct(l, 95), pct(l, 99), pct(l, 100));
    }

    /** {@code wrk} reading one job's status for {@code seconds}: its p50/p95/p99 and requests per second. */
    private static String wrk(String gateway, String jobId, String cookie, int seconds) throws Exception {
        Path script = Files.createTempFile("zooscope-wrk", ".lua");
        Files.writeString(script, """
                done = function(summary, latency, requests)
                  io.write(string.format("WRK %d %.1f %.1f %.1f %.1f %d\\n", summary.requests, latency:percentile(50) / 1000,
                    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6,
                    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
                end
                """);
        Process p = new ProcessBuilder("wrk", "-t", "2", "-c", "16", "-d", seconds + "s", "-s", script.toString(),
                "-H", "Cookie: " + cookie, gateway + "/api/v1/jobs/" + jobId).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.deleteIfExists(script);
        String line = out.lines().filter(s -> s.startsWith("WRK ")).findFirst().orElse(null);
        if (line == null) {
            return "wrk gave no figures: " + out.strip();
        }
        String[] f = line.split(" ");
        return String.format(Locale.ROOT, "%s requests (%.0f/s, 16 connections): p50 %s ms, p95 %s ms, p99 %s ms, errors %s",
                f[1], Long.parseLong(f[1]) / Double.parseDouble(f[5]), f[2], f[3], f[4], f[6]);
    }

    private static byte[] multipart(byte[] tif) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"region.tif\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(tif);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    private static HttpResponse<String> send(HttpRequest r) throws Exception {
        HttpRequest timed = HttpRequest.newBuilder(r, (name, value) -> true).timeout(Duration.ofSeconds(60)).build();
        return HTTP.send(timed, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        if (r.statusCode() >= 400) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return EventJson.mapper().readTree(r.body());
    }

    /** The nearest-rank percentile of sorted values. */
    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
