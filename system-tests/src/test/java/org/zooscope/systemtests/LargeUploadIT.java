package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.store.UploadPlanes;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.volume.Volume;
import org.zooscope.infra.stack.ServiceProcess;

/**
 * An upload several times larger than the gateway's heap: a second gateway started with a small heap
 * ({@code -Dzooscope.it.upload.heap}, default 128m) takes a 16-bit stack of {@code -Dzooscope.it.upload.mb} MB
 * (default 384) built from the bundled real SBEM sample and streams it to S3, where the file itself is the stored
 * volume (a plain TIFF's planes are read in place): nothing else may be stored, and the last plane read back must
 * equal the one written. With {@code -Dzooscope.it.upload.mb=2000
 * -Dzooscope.it.upload.heap=256m} this is the "2 GB with a 256 MB heap" measurement.
 */
class LargeUploadIT {
    private static final int SIDE = 2048;
    private static RunningStack stack;
    private static ServiceProcess smallGateway;
    private static String url;

    @BeforeAll
    static void startSmallHeapGateway() throws IOException {
        stack = RunningStack.get();
        int port = org.zooscope.infra.stack.StackSettings.freeTestPort();
        url = "http://127.0.0.1:" + port;
        smallGateway = new ServiceProcess("gateway", "gateway-small-heap", stack.settings, Map.of(
                "ZOOSCOPE_API_TOKENS", RunningStack.TOKEN, "SERVER_PORT", Integer.toString(port),
                "ZOOSCOPE_PUBLIC_URL", url, "ZOOSCOPE_UPLOAD_MAX_BYTES", "4GB",
                "ZOOSCOPE_UPLOAD_MAX_DECODED_BYTES", Long.toString(4L << 30)),
                System.getProperty("zooscope.it.upload.heap", "128m"));
        ServiceProcess started = smallGateway;
        // also when the test JVM ends without running @AfterAll (killed, timed out)
        Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-small-heap-gateway"));
        stack.stack.startServices(List.of(smallGateway), Duration.ofSeconds(180));
    }

    @AfterAll
    static void stopSmallHeapGateway() {
        if (smallGateway != null) {
            smallGateway.stop();
        }
    }

    @Test
    void aStackLargerThanTheHeapStreamsToS3AndDecodesPlaneByPlane(@TempDir Path tmp) throws Exception {
        int megabytes = Integer.getInteger("zooscope.it.upload.mb", 384);
        int depth = Math.max(2, (int) ((long) megabytes * 1_000_000 / (2L * SIDE * SIDE)));
        Volume sample = VolumeReader.read(TestStacks.root().resolve("samples/sbem-mito-512x512x5.tif"),
                ReadLimits.defaults());
        Path file = tmp.resolve("big-" + SIDE + "x" + SIDE + "x" + depth + "-u16.tif");
        TestStacks.writeUint16Tiff(file, SIDE, depth, z -> plane(sample, z));
        long bytes = Files.size(file);

        long t0 = System.nanoTime();
        Http.Response up = Http.uploadStreaming(url + "/api/v1/uploads", RunningStack.TOKEN, file);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        JsonNode upload = up.json();
        assertThat(upload.get("depth").asInt()).isEqualTo(depth);
        assertThat(upload.get("width").asInt()).isEqualTo(SIDE);
        assertThat(upload.get("dtype").asText()).isEqualTo("uint16");
        assertThat(upload.get("bytes").asLong()).isEqualTo(bytes);
        assertThat(smallGateway.process().isAlive()).as("the small-heap gateway survived").isTrue();
        System.out.printf("large upload: %d bytes (%d x %d x %d, 16-bit) in %.1f s = %.1f MB/s, gateway heap %s%n",
                bytes, SIDE, SIDE, depth, seconds, bytes / 1e6 / seconds,
                System.getProperty("zooscope.it.upload.heap", "128m"));

        try (S3ObjectStore store = S3ObjectStore.connect(stack.settings.s3())) {
            // stored once, in its own type: the file as sent (its planes are read in place), nothing decoded beside it
            String id = upload.get("id").asText();
            java.util.SortedMap<String, Long> objects = store.sizes(StorageKeys.Uploads.prefix(id));
            long stored = objects.values().stream().mapToLong(Long::longValue).sum();
            assertThat(stored).as("bytes stored for the upload: %s", objects).isBetween(bytes, bytes + 64 * 1024);
            UploadedVolume volume = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(id)), UploadedVolume.class);
            assertThat(volume.planeEncoding()).isEqualTo("uint16le");
            // the last plane reads back intact
            float[] last = UploadPlanes.read(store, volume, depth - 1);
            float[] expected = plane(sample, depth - 1);
            assertThat(last).hasSameSizeAs(expected);
            int firstDifference = java.util.Arrays.mismatch(last, expected);
            assertThat(firstDifference).as("first differing pixel (got %s, expected %s)",
                    firstDifference < 0 ? "" : last[firstDifference],
                    firstDifference < 0 ? "" : expected[firstDifference]).isEqualTo(-1);
        }
    }

    /** Plane z: the sample's slice z % 5, mirrored up to SIDE × SIDE, as 16-bit (grey × 256 + z, so planes differ). */
    private static float[] plane(Volume sample, int z) {
        int w = sample.width();
        int h = sample.height();
        float[] src = new float[w * h];
        sample.copyPlane(z % sample.depth(), src);
        float[] out = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            int sy = TestStacks.mirror(y, h);
            for (int x = 0; x < SIDE; x++) {
                out[y * SIDE + x] = src[sy * w + TestStacks.mirror(x, w)] * 256f + (z % 256);
            }
        }
        return out;
    }
}
