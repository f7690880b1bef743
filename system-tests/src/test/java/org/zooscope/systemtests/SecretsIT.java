package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No secret ends up where others can read it (the original system leaked credentials in its pods' command lines):
 * after a job run with an API token and read through its share link, neither the API tokens, the share token, the
 * browser's session cookie nor the S3 secret key appear in any service's or server's log, in Kafka's topic data, in
 * OpenSearch's data, or on the command line of any process of the machine.
 */
class SecretsIT {
    @Test
    void noSecretInLogsEventsIndicesOrCommandLines() throws Exception {
        RunningStack stack = RunningStack.get();
        stack.stack.seedModels(Path.of(SecretsIT.class.getResource("/models").toURI()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/skeleton-smooth", null).status()).isEqualTo(200));
        String upload = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN,
                Path.of(SecretsIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI())).json().get("id").asText();
        Http.Response submitted = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}");
        String job = submitted.json().get("id").asText();
        String shareToken = submitted.json().get("shareUrl").asText().replaceAll(".*token=", "");
        await().atMost(Duration.ofMinutes(3)).until(() ->
                Http.get(stack.gateway() + "/api/v1/jobs/" + job, RunningStack.TOKEN).json().get("state").asText().equals("SUCCEEDED"));
        // read it as the share link's holder would, token in the query string
        assertThat(Http.get(stack.gateway() + "/api/v1/jobs/" + job + "?token=" + shareToken, null).status()).isEqualTo(200);
        assertThat(Http.get(stack.gateway() + "/api/v1/jobs/" + job + "/results/probabilities.tif?token=" + shareToken, null)
                .status()).isEqualTo(200);

        List<String> secrets = List.of(RunningStack.TOKEN, RunningStack.OTHER_TOKEN, RunningStack.CURATOR_TOKEN, shareToken,
                stack.settings.s3SecretKey());
        Path state = stack.settings.stateDir();
        List<Path> searched = new ArrayList<>();
        try (Stream<Path> files = Files.walk(state)) {
            files.filter(Files::isRegularFile)
                    // the S3 server's own configuration must hold its key, and S3's data are the users' objects
                    .filter(p -> !p.startsWith(state.resolve("s3")))
                    .filter(p -> !p.startsWith(state.resolve("opensearch").resolve("opensearch-2.19.6")))
                    .forEach(searched::add);
        }
        assertThat(searched).as("logs, Kafka and OpenSearch data searched").anyMatch(p -> p.toString().endsWith("gateway.log"))
                .anyMatch(p -> p.toString().contains("kafka"));
        List<String> leaks = new ArrayList<>();
        boolean jobSeen = false;
        for (Path p : searched) {
            String text = read(p);
            jobSeen |= text.contains(job);
            for (String s : secrets) {
                if (text.contains(s)) {
                    leaks.add(state.relativize(p) + " holds " + s.substring(0, 4) + "…");
                }
            }
        }
        // a control: the job's id (no secret) is found where it is written, so the search does read the data
        assertThat(jobSeen).as("the job id found in the searched files").isTrue();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline = read(proc.resolve("cmdline")).replace('\0', ' ');
                for (String s : secrets) {
                    if (cmdline.contains(s)) {
                        leaks.add("the command line of process " + proc.getFileName() + " holds " + s.substring(0, 4) + "…");
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    /** The file's bytes as Latin-1 (any byte is a char, so binary segments are searched too); "" if it went away. */
    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            return "";
        } catch (IOException e) {
            if (p.startsWith("/proc")) {
                return ""; // a process that ended while we looked
            }
            throw new UncheckedIOException(e);
        }
    }
}
