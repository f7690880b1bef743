package org.zooscope.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.zooscope.systemtests.TileReports;

/**
 * The resilience faults during a full run, on a running local stack ({@code ./zooscope up}): for each component, a
 * full run over the demo dataset (one model, no augmentation, no enhancement), the component SIGKILLed once a third
 * of the run's progress is reached, {@code ./zooscope up} restarting it after the outage, then the run's end and how
 * many times each tile was inferred (from the {@code tile-done} progress events; a tile a worker found already stored
 * is reported {@code reused} and not counted), so whether it resumed without redoing finished tiles. Prints a table.
 */
public final class FullRunFaults {
    private static final Duration DEADLINE = Duration.ofMinutes(20);

    private FullRunFaults() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        int outage = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<String> faults = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("s3", "opensearch", "kafka", "job-stream", "gpu-worker");
        String dataset = System.getProperty("zooscope.dataset", "sbem-mouse-brain-demo");
        String model = System.getProperty("zooscope.model", "mito-sbem-2d");
        String gateway = System.getenv().getOrDefault("ZOOSCOPE_URL", "http://localhost:8080");
        String token = Files.readString(root.resolve("var/api-token")).strip();
        BenchApi api = BenchApi.withToken(gateway, token);

        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-11s %-7s %-10s %-7s %-9s %-8s %-8s %s%n",
                "fault", "outage", "state", "tiles", "inferred", "redone", "reused", "seconds (killed at)"));
        for (String fault : faults) {
            String id = api.submit("{\"datasetId\":\"" + dataset + "\"}", model);
            long t0 = System.nanoTime();
            // a third of the way: well into inference (statistics end at 0.07, inference at 0.87)
            api.awaitProgress(id, 0.3, Duration.ofMillis(250), DEADLINE);
            double killedAt = (System.nanoTime() - t0) / 1e9;
            String pid = Files.readString(root.resolve("var/run/" + fault + ".pid")).strip();
            new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
            System.err.printf(Locale.ROOT, "%s: job %s, %s (pid %s) killed at %.1f s%n", fault, id, fault, pid, killedAt);
            Thread.sleep(outage * 1000L); // the outage itself: a benchmark's driver, not a test
            Process up = new ProcessBuilder(root.resolve("zooscope").toString(), "up").directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(root.resolve("var/log/full-run-faults-up.log").toFile()).start();
            if (up.waitFor() != 0) {
                throw new IllegalStateException("./zooscope up failed after killing " + fault + ": see var/log/full-run-faults-up.log");
            }
            String state = finalState(api, id);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, int[]> tiles = TileReports.of(System.getProperty("zooscope.kafka", "127.0.0.1:9092"), id,
                    Duration.ofSeconds(60));
            long inferred = tiles.values().stream().filter(c -> c[0] >= 1).count();
            long redone = tiles.values().stream().filter(c -> c[0] > 1).count();
            long reused = tiles.values().stream().mapToInt(c -> c[1]).sum();
            table.append(String.format(Locale.ROOT, "%-11s %-7s %-10s %-7d %-9d %-8d %-8d %.0f (%.0f)%n", fault, outage + " s",
                    state, tiles.size(), inferred, redone, reused, seconds, killedAt));
            System.err.print(table);
        }
        System.out.printf(Locale.ROOT, "%nFull run of %s with %s (no augmentation, no enhancement), one component killed"
                + " (SIGKILL) at a third of the run's progress, restarted after the outage:%n", dataset, model);
        System.out.print(table);
        System.out.println("tiles: tiles reported done; inferred: of them inferred at least once; redone: inferred more than"
                + " once; reused: reports of a tile found already stored");
    }

    /** The job's final state (and error), or how it was left when it did not end in time. */
    private static String finalState(BenchApi api, String id) throws Exception {
        try {
            JsonNode s = api.awaitFinal(id, Duration.ofSeconds(1), DEADLINE);
            return s.path("state").asText() + (s.path("error").isTextual() ? " (" + s.path("error").asText() + ")" : "");
        } catch (IllegalStateException e) {
            return "NOT FINAL after " + DEADLINE.toMinutes() + " min";
        }
    }
}
