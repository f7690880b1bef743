package org.zooscope.systemtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile's buckets, from a real JFR recording of this JVM doing known work. */
class CpuProfileTest {
    @TempDir
    Path dir;

    @Test
    void samplesOfDeflateWorkLandInTheDeflateBucket() throws Exception {
        Path file = dir.resolve("r.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            r.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(20));
            r.start();
            byte[] input = new byte[1 << 20];
            new java.util.Random(1).nextBytes(input);
            byte[] out = new byte[input.length * 2];
            long until = System.nanoTime() + 1_500_000_000L; // enough samples of one known kind of work
            while (System.nanoTime() < until) {
                Deflater d = new Deflater(9);
                d.setInput(input);
                d.finish();
                d.deflate(out);
                d.end();
            }
            r.stop();
            r.dump(file);
        }

        Map<String, Double> seconds = CpuProfile.samples(file);

        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(total).as("%s", seconds).isGreaterThan(0.5);
        assertThat(seconds.getOrDefault("Deflate/CRC (PNG, zip)", 0.0)).as("%s", seconds).isGreaterThan(total / 2);
    }
}
