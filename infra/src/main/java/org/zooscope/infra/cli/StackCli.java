package org.zooscope.infra.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.zooscope.infra.stack.LocalStack;
import org.zooscope.infra.stack.Server;
import org.zooscope.infra.stack.ServiceProcess;
import org.zooscope.infra.stack.StackSettings;

/**
 * {@code ./zooscope up | down | status}: the one-command local stack. Prints endpoints, PIDs and the local API token.
 */
public final class StackCli {

    private StackCli() {
    }

    public static void main(String[] args) throws IOException {
        String command = args.length == 0 ? "status" : args[0];
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        StackSettings settings = StackSettings.local(root, System.getenv());
        LocalStack stack = new LocalStack(settings);
        switch (command) {
            case "up" -> up(stack, settings);
            case "down" -> down(stack, settings);
            case "status" -> status(stack, settings);
            default -> {
                System.err.println("usage: zooscope up | down | status");
                System.exit(2);
            }
        }
    }

    private static void up(LocalStack stack, StackSettings s) throws IOException {
        long t0 = System.nanoTime();
        String token = apiToken(s);
        Files.writeString(s.stateDir().resolve("s3-credentials"), "endpoint=" + s.s3Endpoint() + "\naccess_key="
                + s.s3AccessKey() + "\nsecret_key=" + s.s3SecretKey() + "\nbucket=" + s.bucket() + "\n");
        stack.startServers(Duration.ofSeconds(180));
        // the local token is the local curator: it may ingest datasets and publish models
        List<ServiceProcess> services = stack.services(Map.of("ZOOSCOPE_API_TOKENS", token,
                "ZOOSCOPE_CURATOR_TOKENS", token));
        // The catalog indexer must be consuming before models are announced only for latency; the topic keeps them.
        List<String> models = stack.seedModels(s.root().resolve("zoo"));
        String dataset = stack.seedDemoDataset(s.root().resolve("samples").resolve("demo-dataset")).id();
        stack.startServices(services, Duration.ofSeconds(240));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%nZooscope is up in %.1f s (%d bundled models, demo dataset %s).%n", seconds, models.size(),
                dataset);
        System.out.println("  Open:       " + s.gatewayUrl());
        System.out.println("  API token:  " + token + "   (also in var/api-token)");
        System.out.println("  Try:        curl -H \"Authorization: Bearer $(cat var/api-token)\" " + s.gatewayUrl() + "/api/v1/models");
        printStatus(stack, s, services);
    }

    private static void down(LocalStack stack, StackSettings s) {
        List<String> stopped = stack.stop(stack.knownServices());
        System.out.println(stopped.isEmpty() ? "nothing was running" : "stopped: " + String.join(", ", stopped));
    }

    private static void status(LocalStack stack, StackSettings s) {
        printStatus(stack, s, stack.knownServices());
    }

    private static void printStatus(LocalStack stack, StackSettings s, List<ServiceProcess> services) {
        List<Server> all = new ArrayList<>(stack.servers());
        all.addAll(services);
        System.out.printf("%n%-16s %-8s %-8s %s%n", "PROCESS", "STATE", "PID", "ENDPOINT");
        for (Server server : all) {
            String pid = server.process().handle().map(h -> Long.toString(h.pid())).orElse("-");
            String state = server.process().isAlive() ? (server.isReady() ? "ready" : "starting") : "stopped";
            System.out.printf("%-16s %-8s %-8s %s%n", server.name(), state, pid, server.endpoint());
        }
        System.out.println("logs: " + s.logDir());
    }

    /** The local API token: made once, kept in {@code var/api-token}. */
    static String apiToken(StackSettings s) throws IOException {
        Path file = s.stateDir().resolve("api-token");
        Files.createDirectories(s.stateDir());
        if (Files.isRegularFile(file)) {
            return Files.readString(file).strip();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String token = "zs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.writeString(file, token + "\n");
        return token;
    }
}
