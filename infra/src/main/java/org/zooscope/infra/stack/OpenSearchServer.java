package org.zooscope.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.zooscope.infra.process.ManagedProcess;

/**
 * OpenSearch 2.19 from the integ-test distribution, single node, on 127.0.0.1. OpenSearch refuses to run as root, so
 * when the launcher is root it runs as {@code nobody} (through {@code setpriv}); its files then live where
 * {@code nobody} can reach them.
 */
public final class OpenSearchServer implements Server {
    private static final String VERSION = "2.19.6";
    private final StackSettings s;
    private final ManagedProcess process;

    public OpenSearchServer(StackSettings settings) {
        this.s = settings;
        this.process = new ManagedProcess("opensearch", settings.runDir(), settings.logDir());
    }

    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public ManagedProcess process() {
        return process;
    }

    @Override
    public String endpoint() {
        return s.openSearchUrl();
    }

    @Override
    public void start() {
        if (process.isAlive()) {
            return;
        }
        try {
            boolean root = isRoot();
            Path base = baseDir(root);
            Path home = base.resolve("opensearch-" + VERSION);
            Path data = base.resolve("data");
            Path logs = base.resolve("logs");
            Path tmp = base.resolve("tmp");
            if (!Files.isRegularFile(home.resolve("bin/opensearch"))) {
                copyDistribution(s.distDir().resolve("opensearch-" + VERSION), home);
            }
            for (Path p : List.of(data, logs, tmp)) {
                Files.createDirectories(p);
            }
            List<String> cmd = new ArrayList<>();
            if (root) {
                run(List.of("chown", "-R", "nobody:nogroup", base.toString()));
                cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "HOME=/tmp"));
            }
            cmd.addAll(List.of(home.resolve("bin/opensearch").toString(),
                    "-E", "discovery.type=single-node", "-E", "network.host=127.0.0.1",
                    "-E", "http.port=" + s.openSearchPort(), "-E", "transport.port=" + s.openSearchTransportPort(),
                    "-E", "path.data=" + data, "-E", "path.logs=" + logs, "-E", "cluster.name=zooscope",
                    "-E", "action.auto_create_index=false"));
            Map<String, String> env = Map.of("OPENSEARCH_TMPDIR", tmp.toString(),
                    "OPENSEARCH_JAVA_HOME", System.getProperty("java.home"),
                    "OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m");
            process.start(cmd, env, base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** After the first start: new indices get no replicas, so one node stays green. */
    public void configureSingleNode() {
        int status = Probes.httpPut(s.openSearchUrl() + "/_cluster/settings",
                "{\"persistent\":{\"cluster.default_number_of_replicas\":0}}");
        if (status != 200) {
            throw new IllegalStateException("OpenSearch refused the replica setting (HTTP " + status + ")");
        }
    }

    @Override
    public boolean isReady() {
        return process.isAlive()
                && Probes.httpStatus(s.openSearchUrl() + "/_cluster/health?wait_for_status=yellow&timeout=1s") == 200;
    }

    /**
     * {@code stateDir/opensearch}, unless the launcher is root and {@code nobody} cannot reach that folder (a checkout
     * under a private home); then a folder under /var/tmp named after the state dir, linked from it.
     */
    private Path baseDir(boolean root) throws IOException {
        Path preferred = s.stateDir().resolve("opensearch");
        if (!root || reachableByNobody(s.stateDir())) {
            Files.createDirectories(preferred);
            return preferred;
        }
        String id = HexFormat.of().formatHex(sha256(s.stateDir().toAbsolutePath().toString())).substring(0, 12);
        Path relocated = Path.of("/var/tmp", "zooscope-opensearch-" + id);
        Files.createDirectories(relocated);
        if (!Files.exists(preferred, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(s.stateDir());
            Files.createSymbolicLink(preferred, relocated);
        }
        return relocated;
    }

    private static boolean reachableByNobody(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "test", "-x",
                    dir.toAbsolutePath().toString()).redirectErrorStream(true).start();
            return p.waitFor() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void copyDistribution(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IllegalStateException("OpenSearch distribution missing at " + from + ": build infra/servers first");
        }
        run(List.of("cp", "-a", from.toString(), to.toString()));
    }

    private static void run(List<String> cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
