package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.infra.stack.ServiceProcess;

/**
 * A gpu-worker killed with SIGKILL in the middle of a job: its unfinished (uncommitted) tile tasks move to the other
 * workers once its session times out, and the job still succeeds with the same pixels as running the model directly.
 * Two extra worker processes join the stack's own, each under its own name and with a short Kafka session so the
 * hand-over is quick; the job uses full test-time augmentation so that it runs for several seconds.
 */
class WorkerFailoverIT {
    private static final String MODEL = "skeleton-smooth";
    private static final int W = 1024;
    private static final int H = 1024;
    private static final int DEPTH = 16;
    private static RunningStack stack;
    private static Path models;
    private static final List<ServiceProcess> workers = new ArrayList<>();

    @BeforeAll
    static void startStackAndTwoMoreWorkers() throws URISyntaxException {
        stack = RunningStack.get();
        models = Path.of(WorkerFailoverIT.class.getResource("/models").toURI());
        stack.stack.seedModels(models);
        Map<String, String> env = Map.of("ZOOSCOPE_WORKER_SESSION_TIMEOUT_MS", "6000",
                "ZOOSCOPE_WORKER_INTRA_OP_THREADS", "1", "ZOOSCOPE_WORKER_MAX_POLL_RECORDS", "4");
        for (String name : List.of("gpu-worker-a", "gpu-worker-b")) {
            workers.add(new ServiceProcess("gpu-worker", name, stack.settings, env, "512m"));
        }
        stack.stack.startServices(workers, Duration.ofSeconds(180));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/" + MODEL, null).status()).isEqualTo(200));
    }

    @AfterAll
    static void stopExtraWorkers() {
        workers.forEach(ServiceProcess::stop);
    }

    @Test
    void aWorkerKilledMidJobLeavesTheJobToTheOthersWithTheSamePixels(@TempDir Path tmp) throws Exception {
        Path input = tmp.resolve("stack.tif");
        Volume source = syntheticStack();
        try (OutputStream out = Files.newOutputStream(input)) {
            TiffWriter.writeFloat32(source, out);
        }
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN, input);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        // logs are appended across runs: only what the victim writes from here on counts
        Path victimLog = workers.get(1).process().logFile();
        long logStart = Files.exists(victimLog) ? Files.size(victimLog) : 0;

        Http.Response submitted = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"uploadId\":\"" + up.json().get("id").asText() + "\"},\"models\":[\"" + MODEL
                        + "\"],\"enhance\":false,\"augmentation\":\"full\"}");
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String jobId = submitted.json().get("id").asText();

        // when one worker is in the middle of a batch of its tiles (its log says it took tasks it has not finished),
        // it dies without a word
        ServiceProcess victim = workers.get(1);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
                .until(() -> batchInFlight(victim.process().logFile(), logStart) || isFinal(status(jobId)));
        victim.process().handle().orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook, no commit
        JsonNode busy = status(jobId);
        assertThat(busy.get("state").asText()).as("the job was still running when the worker was killed: " + busy)
                .isEqualTo("RUNNING");
        await().atMost(Duration.ofSeconds(10)).until(() -> !victim.process().isAlive());

        // then the job still succeeds
        JsonNode done = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250))
                .until(() -> status(jobId), WorkerFailoverIT::isFinal);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");

        // and the variance over the 8 variants is an uncertainty map: about zero for this symmetric model
        Http.Response var = Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "/results/models/" + MODEL
                + "/uncertainty.tif", RunningStack.TOKEN);
        assertThat(var.status()).isEqualTo(200);
        Path varFile = tmp.resolve("uncertainty.tif");
        Files.write(varFile, var.body());
        Volume variance = VolumeReader.read(varFile, ReadLimits.defaults());
        float[] v = new float[W * H];
        double maxVariance = 0;
        for (int z = 0; z < DEPTH; z++) {
            variance.copyPlane(z, v);
            for (float f : v) {
                maxVariance = Math.max(maxVariance, f);
            }
        }
        assertThat(maxVariance).isLessThan(1e-6);

        // and with the pixels of the model run directly (full augmentation of a flip- and rotation-symmetric model
        // averages 8 equal maps)
        Http.Response tif = Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "/results/probabilities.tif", RunningStack.TOKEN);
        assertThat(tif.status()).isEqualTo(200);
        Path result = tmp.resolve("probabilities.tif");
        Files.write(result, tif.body());
        Volume probs = VolumeReader.read(result, ReadLimits.defaults());
        assertThat(probs.depth()).isEqualTo(DEPTH);
        float[][] expected = TestStacks.runDirectly(source, models.resolve(MODEL).resolve("weights.onnx"));
        double maxDiff = TestStacks.maxInteriorDifference(probs, expected);
        assertThat(maxDiff).as("max |pipeline - direct ONNX Runtime|").isLessThan(1e-5);
    }

    private static JsonNode status(String jobId) throws Exception {
        return Http.get(stack.gateway() + "/api/v1/jobs/" + jobId, RunningStack.TOKEN).json();
    }

    /** Whether the worker has taken more batches than it has finished (its consumer logs both). */
    private static boolean batchInFlight(Path log, long from) throws java.io.IOException {
        if (!Files.exists(log)) {
            return false;
        }
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                java.nio.charset.StandardCharsets.UTF_8);
        return count(text, "tile task(s) from") > count(text, "tile task(s) done in");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static boolean isFinal(JsonNode j) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.path("state").asText());
    }

    /** Smooth structure plus a per-slice pattern, so that a tile written for the wrong slice or place shows. */
    private static Volume syntheticStack() {
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < DEPTH; z++) {
            float[] p = new float[W * H];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    p[y * W + x] = (float) (1000 + 400 * Math.sin((x + 7 * z) / 23.0) * Math.cos((y - 5 * z) / 31.0)
                            + ((x * 31 + y * 17 + z * 13) % 97));
                }
            }
            planes.add(p);
        }
        return new FloatVolume(W, H, planes, DataType.FLOAT32, VoxelSize.unknown());
    }
}
