package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
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

/**
 * Hosted datasets over the whole stack: a curator turns an uploaded 16-bit stack of real SBEM slices into a dataset
 * (ingested in the gateway, announced on Kafka, indexed into OpenSearch), which is then found by search, read back
 * voxel for voxel as a region TIFF and shown as tiles; the demo dataset {@code ./zooscope up} ingests is there too.
 */
class DatasetIT {
    private static final int SIDE = 1024;
    private static final int DEPTH = 3;
    private static RunningStack stack;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        stack = RunningStack.get();
    }

    /** Three real 8-bit slices as 12 bits inside 16 (value × 16 + 100), as one multi-page TIFF. */
    private static List<float[]> sixteenBitSlices() throws Exception {
        List<Path> pngs;
        try (Stream<Path> s = Files.list(TestStacks.root().resolve("samples/demo-dataset"))) {
            pngs = s.filter(f -> f.toString().endsWith(".png")).sorted().limit(DEPTH).toList();
        }
        List<float[]> planes = new ArrayList<>();
        for (Path f : pngs) {
            Volume v = VolumeReader.read(f, ReadLimits.defaults());
            float[] p = new float[SIDE * SIDE];
            v.copyPlane(0, p);
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] * 16 + 100;
            }
            planes.add(p);
        }
        return planes;
    }

    @Test
    void aCuratorIngestsAnUploadedSixteenBitStackThatIsThenFoundReadAndShown() throws Exception {
        // given: a 16-bit stack uploaded by the curator
        List<float[]> planes = sixteenBitSlices();
        Path tif = tmp.resolve("sbem-u16.tif");
        try (OutputStream o = Files.newOutputStream(tif)) {
            TiffWriter.write(new FloatVolume(SIDE, SIDE, planes, DataType.UINT16, new VoxelSize(5.9, 5.9, 40, "nm")), o,
                    DataType.UINT16, TiffWriter.Compression.DEFLATE);
        }
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.CURATOR_TOKEN, tif);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        String uploadId = up.json().get("id").asText();

        // when: it is ingested
        Http.Response accepted = Http.postJson(stack.gateway() + "/api/v1/datasets", RunningStack.CURATOR_TOKEN,
                "{\"uploadId\": \"" + uploadId + "\", \"name\": \"Sixteen-bit SBEM stack\", \"description\":"
                        + " \"Real SBEM slices stored as twelve bits in sixteen\", \"modality\": \"SBEM\","
                        + " \"organism\": \"mouse\", \"licence\": \"CDeep3M licence\"}");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String id = accepted.json().get("id").asText();
        assertThat(id).isEqualTo("sixteen-bit-sbem-stack");
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode s = Http.get(stack.gateway() + "/api/v1/datasets/" + id + "/ingest", null).json();
            assertThat(s.get("state").asText()).as(s.toString()).isEqualTo("SUCCEEDED");
        });
        System.out.printf("%d x %d x %d 16-bit ingested in %.1f s%n", SIDE, SIDE, DEPTH, (System.nanoTime() - t0) / 1e9);
        // a non-curator may not
        assertThat(Http.postJson(stack.gateway() + "/api/v1/datasets", RunningStack.TOKEN, "{\"uploadId\": \""
                + uploadId + "\", \"name\": \"mine\"}").status()).isEqualTo(403);

        // then: listed, and found by words of its card
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode found = Http.get(stack.gateway() + "/api/v1/datasets?q=twelve%20bits&organism=mouse", null).json();
            assertThat(found.get("items").findValuesAsText("id")).contains(id);
        });
        JsonNode all = Http.get(stack.gateway() + "/api/v1/datasets", null).json();
        assertThat(all.get("items").findValuesAsText("id")).contains(id);
        JsonNode card = Http.get(stack.gateway() + "/api/v1/datasets/" + id, null).json();
        assertThat(card.get("dtype").asText()).isEqualTo("uint16");
        assertThat(card.get("width").asInt()).isEqualTo(SIDE);
        assertThat(card.get("voxelSize").get("z").asDouble()).isEqualTo(40.0);
        assertThat(card.get("display").get("max").asDouble()).isGreaterThan(card.get("display").get("min").asDouble());

        // the region's voxels are the source's
        Http.Response region = Http.get(stack.gateway() + "/api/v1/datasets/" + id
                + "/region.tif?x=700&y=250&z=1&width=300&height=200&depth=2", null);
        assertThat(region.status()).as(region.text()).isEqualTo(200);
        Volume v = TestStacks.readTiff(region.body(), tmp, "region.tif");
        assertThat(v.dataType()).isEqualTo(DataType.UINT16);
        float[] got = new float[300 * 200];
        for (int dz = 0; dz < 2; dz++) {
            v.copyPlane(dz, got);
            float[] src = planes.get(1 + dz);
            for (int y = 0; y < 200; y++) {
                for (int x = 0; x < 300; x++) {
                    assertThat(got[y * 300 + x]).isEqualTo(src[(250 + y) * SIDE + 700 + x]);
                }
            }
        }
        // a tile decodes, at full resolution and at the coarsest level
        assertThat(tile(id, "1/0/3_2.png").getWidth()).isEqualTo(256);
        assertThat(tile(id, "0/2/0_0.png").getWidth()).isEqualTo(256);
        // over the limit: 1024 x 1024 x 3 x 2 bytes = 6 MiB > 4 MiB
        Http.Response tooLarge = Http.get(stack.gateway() + "/api/v1/datasets/" + id
                + "/region.tif?x=0&y=0&z=0&width=1024&height=1024&depth=3", null);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).contains("application/problem+json");
        assertThat(tooLarge.json().get("detail").asText()).contains("6291456 bytes", "limit of " + RunningStack.REGION_LIMIT);
    }

    @Test
    void theDemoDatasetIsListedWithItsSourceAndShown() throws Exception {
        String demo = stack.demoDataset();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode found = Http.get(stack.gateway() + "/api/v1/datasets?q=cdeep3m&modality=SBEM", null).json();
            assertThat(found.get("items").findValuesAsText("id")).contains(demo);
        });
        JsonNode card = Http.get(stack.gateway() + "/api/v1/datasets/" + demo, null).json();
        assertThat(card.get("width").asInt()).isEqualTo(2048);
        assertThat(card.get("depth").asInt()).isEqualTo(16);
        assertThat(card.get("source").asText()).contains("2 × 2 mirror mosaic");
        assertThat(card.get("citation").asText()).contains("Nature Methods");
        BufferedImage t = tile(demo, "8/1/3_3.png");
        assertThat(t.getWidth()).isEqualTo(256);
        assertThat(t.getRaster().getNumBands()).isEqualTo(1);
        // what the viewer does when it opens a slice: every full-resolution tile of it, one at a time
        long t0 = System.nanoTime();
        for (int row = 0; row < 8; row++) {
            for (int col = 0; col < 8; col++) {
                assertThat(tile(demo, "3/0/" + col + "_" + row + ".png").getHeight()).isEqualTo(256);
            }
        }
        System.out.printf("64 full-resolution tiles of the demo in %.0f ms each on average%n",
                (System.nanoTime() - t0) / 64 / 1e6);
    }

    private static BufferedImage tile(String id, String path) throws Exception {
        Http.Response r = Http.get(stack.gateway() + "/api/v1/datasets/" + id + "/tiles/" + path, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("image/png");
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }
}
