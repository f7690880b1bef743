package org.zooscope.systemtests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.zooscope.infra.stack.LocalStack;
import org.zooscope.infra.stack.ServiceProcess;
import org.zooscope.infra.stack.StackSettings;

/**
 * The whole stack for the system tests, started once per test JVM by the same launcher {@code ./zooscope up} uses,
 * on free ports and with its state under {@code target/}, and stopped when the JVM ends.
 */
final class RunningStack {
    static final String TOKEN = "zs_system_test_token";
    /** A second user, to see what one owner's private models look like to others. */
    static final String OTHER_TOKEN = "zs_system_test_other";
    /** A curator: may publish models to everyone. */
    static final String CURATOR_TOKEN = "zs_system_test_curator";
    private static RunningStack instance;

    final StackSettings settings;
    final LocalStack stack;
    final List<ServiceProcess> services;

    private RunningStack(StackSettings settings) {
        this.settings = settings;
        this.stack = LocalStack.fresh(settings);
        this.services = stack.services(Map.of("ZOOSCOPE_API_TOKENS", String.join(",", TOKEN, OTHER_TOKEN, CURATOR_TOKEN),
                "ZOOSCOPE_CURATOR_TOKENS", CURATOR_TOKEN, "ZOOSCOPE_PUBLIC_URL", settings.gatewayUrl(),
                // small enough that a test can ask for a region over it
                "ZOOSCOPE_DATASET_MAX_REGION_BYTES", Long.toString(REGION_LIMIT),
                // every test submits with the same token, some many jobs at once: the quotas have their own QuotaTest
                "ZOOSCOPE_QUOTA_RUNNING_JOBS", "1000"));
    }

    /** The gateway's limit on one region.tif, in bytes of voxel data. */
    static final long REGION_LIMIT = 4L << 20;
    private boolean demoSeeded;

    /**
     * The demo dataset {@code ./zooscope up} ingests, for the tests that ask for it (ingesting it takes some seconds,
     * so it is not done for every test JVM): ingested once, announced, and its id returned.
     */
    synchronized String demoDataset() {
        if (!demoSeeded) {
            Path root = Path.of(System.getProperty("zooscope.root", "..")).toAbsolutePath().normalize();
            stack.seedDemoDataset(root.resolve("samples").resolve("demo-dataset"));
            demoSeeded = true;
        }
        return org.zooscope.infra.provision.DatasetSeeder.DEMO_ID;
    }

    static synchronized RunningStack get() {
        if (instance == null) {
            Path root = Path.of(System.getProperty("zooscope.root", "..")).toAbsolutePath().normalize();
            Path state = Path.of(System.getProperty("zooscope.it.dir", "target/it")).toAbsolutePath().resolve("stack");
            RunningStack s = new RunningStack(StackSettings.forTests(root, state));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> s.stack.stop(s.services), "stop-stack"));
            try {
                s.stack.startServers(Duration.ofSeconds(180));
                s.stack.startServices(s.services, Duration.ofSeconds(240));
            } catch (RuntimeException e) {
                // the next test class starts another stack in the same directory, over these PID files: what did
                // start must stop now, or it outlives the build
                s.stack.stop(s.services);
                throw e;
            }
            instance = s;
        }
        return instance;
    }

    String gateway() {
        return settings.gatewayUrl();
    }
}
