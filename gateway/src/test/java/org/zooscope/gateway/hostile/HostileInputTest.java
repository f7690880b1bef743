package org.zooscope.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.testing.GatewayTests;
import org.zooscope.catalog.search.ModelSearch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The hostile corpus: uploads, job requests, model packages and paths made to break the gateway — most of them cut
 * from the real EM samples the repository ships (truncated, bit-flipped, lying headers, bombs, loops), the rest
 * malformed JSON, YAML and zips. Each must be answered with a 4xx problem+json whose detail says what is wrong, leave
 * nothing in the store, and leave the server serving.
 */
@Import(GatewayTests.InMemoryStore.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // these tests submit many jobs with one token that never end (no job-stream): quotas have QuotaTest
        "zooscope.limits.running-jobs=1000",
        "zooscope.api-tokens=token-a",
        "zooscope.upload.max-files=8",
        "zooscope.upload.max-bytes=8MB",
        "spring.webflux.multipart.max-disk-usage-per-part=8MB",
        "zooscope.upload.max-decoded-bytes=64000000",
        "zooscope.models.limits.max-entries=40",
        "zooscope.models.limits.max-unpacked-bytes=32000000",
        "spring.kafka.listener.auto-startup=false"})
class HostileInputTest {
    private static final Path SAMPLES = Path.of(System.getProperty("zooscope.samples", "../samples"));
    private static final byte[] TIFF = read("sbem-mito-512x512x5.tif");
    private static final byte[] PNG = read("isbi-membrane-512.png");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        Path tmp = Files.createTempDirectory("zooscope-hostile");
        r.add("zooscope.samples-dir", () -> SAMPLES.toString());
        r.add("zooscope.upload.temp-dir", () -> tmp.resolve("uploads").toString());
        r.add("zooscope.models.temp-dir", () -> tmp.resolve("models").toString());
    }


    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    @Autowired
    ObjectStore store;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;
    WebTestClient http;

    /** One hostile input: how to send it, the status it must get, and a word its problem's detail must contain. */
    record Case(String name, Function<WebTestClient, WebTestClient.ResponseSpec> send, int status, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void setUp() {
        http = GatewayTests.client(port);
        when(models.get(anyString())).thenReturn(Optional.empty());
        when(models.get("skeleton-smooth")).thenReturn(Optional.of(Map.of("id", "skeleton-smooth", "published", true)));
        when(models.search(any())).thenReturn(new ModelSearch.Result(List.of(), 0, Map.of()));
        when(kafka.send(anyString(), anyString(), any(byte[].class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    @AfterEach
    void serverStillServesAndNothingWasKept() {
        http.get().uri("/api/v1/models").exchange().expectStatus().isOk();
        assertThat(store.list("uploads/")).as("objects left by a refused upload").isEmpty();
        assertThat(store.list("models/")).as("objects left by a refused model package").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAProblemThatSaysWhy(Case c) {
        EntityExchangeResult<byte[]> r = c.send().apply(http).expectBody().returnResult();
        String body = new String(r.getResponseBodyContent() == null ? new byte[0] : r.getResponseBodyContent(),
                StandardCharsets.UTF_8);
        assertThat(r.getStatus().value()).as(c.name() + ": " + body).isEqualTo(c.status());
        assertThat(r.getResponseHeaders().getContentType()).as(c.name())
                .satisfies(t -> assertThat(t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue());
        JsonNode p = new ObjectMapper().readTree(body);
        assertThat(p.get("status").asInt()).isEqualTo(c.status());
        assertThat(p.get("detail").asString().toLowerCase()).as(c.name()).contains(c.detail().toLowerCase());
    }

    static Stream<Case> corpus() throws IOException {
        List<Case> c = new ArrayList<>();
        // ---- images cut from the real SBEM stack and ISBI slice
        c.add(upload("TIFF cut in half", "half.tif", Arrays.copyOf(TIFF, TIFF.length / 2), 422, "half.tif"));
        c.add(upload("TIFF cut after 2 kB", "cut.tif", Arrays.copyOf(TIFF, 2048), 422, "cut.tif"));
        c.add(upload("TIFF header only", "head.tif", Arrays.copyOf(TIFF, 8), 422, "head.tif"));
        c.add(upload("TIFF whose first IFD lies past the end", "far.tif", tiffFirstIfdAt(0x7fff0000), 422, "far.tif"));
        c.add(upload("TIFF whose IFD chain loops on itself", "loop.tif", tiffIfdLoop(), 422, "loop.tif"));
        c.add(upload("TIFF width 0", "w0.tif", tiffTag(256, 0), 422, "w0.tif"));
        c.add(upload("TIFF 13 bits per sample on its first page", "b13.tif", tiffTag(258, 13), 422, "b13.tif"));
        c.add(upload("TIFF unknown compression 9999", "c9999.tif", tiffTag(259, 9999), 422, "compression value: 9999"));
        c.add(upload("TIFF 7 samples per pixel", "s7.tif", tiffTag(277, 7), 415, "s7.tif"));
        c.add(upload("TIFF strip offsets past the end", "strip.tif", tiffTagEveryStrip(273, 0x7ff00000), 422, "strip.tif"));
        c.add(upload("TIFF claiming 100000 x 100000 pixels (a bomb)", "bomb.tif", tiffBomb(100_000, 100_000), 413, "bomb.tif"));
        c.add(upload("TIFF with NaN floats", "nan.tif", floatTiff(Float.NaN), 422, "nan"));
        c.add(upload("TIFF with infinite floats", "inf.tif", floatTiff(Float.POSITIVE_INFINITY), 422, "infinit"));
        c.add(upload("PNG cut in half", "half.png", Arrays.copyOf(PNG, PNG.length / 2), 422, "half.png"));
        c.add(upload("PNG with its image data bit-flipped", "flip.png", pngFlippedData(), 422, "flip.png"));
        c.add(upload("PNG 0 pixels wide", "w0.png", pngHeader(0, 512), 422, "w0.png"));
        c.add(upload("PNG decompression bomb 20000 x 20000", "bomb.png", pngBomb(20_000, 20_000), 413, "bomb.png"));
        c.add(upload("MRC cut after its header", "cut.mrc", Arrays.copyOf(mrc(64, 64, 2, 0), 1024 + 100), 422, "cut.mrc"));
        c.add(upload("MRC claiming 100000^3 voxels", "big.mrc", mrcHeaderOnly(100_000, 100_000, 100_000, 0), 413, "big.mrc"));
        c.add(upload("MRC with negative dimensions", "neg.mrc", mrcHeaderOnly(-5, 64, 1, 0), 422, "neg.mrc"));
        c.add(upload("MRC of unknown mode 99", "mode.mrc", mrc(16, 16, 1, 99), 415, "mode.mrc"));
        c.add(uploads("slices of different sizes", List.of(Map.entry("a.png", PNG), Map.entry("b.png", pngOf(256, 256))),
                422, "b.png"));
        c.add(upload("a text file named .tif", "notes.tif", "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8),
                415, "notes.tif"));
        c.add(upload("an empty file", "empty.png", new byte[0], 400, "empty.png"));
        c.add(upload("more files than allowed", null, null, 413, "files"));
        c.add(new Case("multipart without a boundary", h -> h.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION,
                "Bearer token-a").contentType(MediaType.parseMediaType("multipart/form-data")).bodyValue("--x\r\n").exchange(),
                400, "multipart"));
        // ---- job requests
        c.add(job("JSON cut short", "{\"input\":", 400, "not valid"));
        c.add(job("an array instead of an object", "[]", 400, "not valid"));
        c.add(job("input of the wrong type", "{\"input\":\"u-1\",\"models\":[\"skeleton-smooth\"]}", 400, "not valid"));
        c.add(job("JSON nested 5000 deep", "[".repeat(5000) + "]".repeat(5000), 400, "not valid"));
        c.add(job("threshold as text", "{\"input\":{\"uploadId\":\"u-1\"},\"models\":[\"m\"],\"threshold\":\"high\"}", 400, "not valid"));
        c.add(job("threshold 1e309", "{\"input\":{\"uploadId\":\"u-1\"},\"models\":[\"m\"],\"threshold\":1e309}", 400, "threshold"));
        c.add(job("models not a list", "{\"input\":{\"uploadId\":\"u-1\"},\"models\":\"skeleton-smooth\"}", 400, "not valid"));
        c.add(job("an upload id that walks up the store", "{\"input\":{\"uploadId\":\"../../models/x\"},\"models\":[\"skeleton-smooth\"]}",
                404, "../../models/x"));
        c.add(job("a script as model id", "{\"input\":{\"uploadId\":\"u-1\"},\"models\":[\"<script>alert(1)</script>\"]}",
                404, "does not exist"));
        c.add(new Case("a 5 MB job request", h -> h.post().uri("/api/v1/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"x\":\"" + "x".repeat(5 << 20) + "\"}").exchange(),
                413, "bytes"));
        // ---- model packages
        c.add(pkg("not a zip at all", "x".repeat(1000).getBytes(StandardCharsets.UTF_8), 422, "zip"));
        c.add(pkg("a zip cut in half", halfOf(zip(Map.of("rdf.yaml", "a: 1".getBytes(StandardCharsets.UTF_8),
                "weights.onnx", new byte[20000]))), 422, "zip"));
        c.add(pkg("a zip entry that walks up", zip(Map.of("../../evil.yaml", "a: 1".getBytes(StandardCharsets.UTF_8))), 422, ".."));
        c.add(pkg("a zip entry with an absolute path", zip(Map.of("/etc/evil.yaml", "a: 1".getBytes(StandardCharsets.UTF_8))),
                422, "/etc/evil.yaml"));
        c.add(pkg("a zip bomb (one entry inflating 1000x)", zip(Map.of("rdf.yaml", new byte[30_000_000])), 422, "rdf.yaml"));
        c.add(pkg("a zip of 60 entries", zipOfMany(60), 422, "entries"));
        c.add(pkg("a YAML bomb (billion laughs)", zip(Map.of("rdf.yaml", yamlBomb().getBytes(StandardCharsets.UTF_8))), 422, "yaml"));
        c.add(pkg("malformed YAML", zip(Map.of("rdf.yaml", "name: [unclosed\n  - : :".getBytes(StandardCharsets.UTF_8))), 422, "yaml"));
        c.add(pkg("YAML asking for a Java object", zip(Map.of("rdf.yaml",
                "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]"
                        .getBytes(StandardCharsets.UTF_8))), 422, "yaml"));
        c.add(pkg("a package without a description", zip(Map.of("weights.onnx", new byte[100])), 422, "bioimageio.yaml"));
        // ---- paths
        c.add(new Case("a result path that walks up", h -> h.get().uri("/api/v1/jobs/j-1/results/..%2F..%2Fuploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange(), 404, "j-1"));
        c.add(new Case("an upload slice of another id form", h -> h.get().uri("/api/v1/uploads/..%2Fmodels/slices/0.png")
                .header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange(), 404, "does not exist"));
        return c.stream();
    }

    // ------------------------------------------------------------------ senders

    private static Case upload(String name, String file, byte[] bytes, int status, String detail) {
        if (file == null) { // more files than the limit of 8
            List<Map.Entry<String, byte[]>> many = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                many.add(Map.entry(i + ".png", PNG));
            }
            return uploads(name, many, status, detail);
        }
        return uploads(name, List.of(Map.entry(file, bytes)), status, detail);
    }

    private static Case uploads(String name, List<Map.Entry<String, byte[]>> files, int status, String detail) {
        return new Case(name, h -> {
            MultipartBodyBuilder b = new MultipartBodyBuilder();
            files.forEach(f -> b.part("file", named(f.getKey(), f.getValue())).contentType(MediaType.APPLICATION_OCTET_STREAM));
            return h.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                    .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange();
        }, status, detail);
    }

    private static Case job(String name, String json, int status, String detail) {
        return new Case(name, h -> h.post().uri("/api/v1/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange(), status, detail);
    }

    private static Case pkg(String name, byte[] zip, int status, String detail) {
        return new Case(name, h -> {
            MultipartBodyBuilder b = new MultipartBodyBuilder();
            b.part("package", named("model.zip", zip)).contentType(MediaType.APPLICATION_OCTET_STREAM);
            return h.post().uri("/api/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                    .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange();
        }, status, detail);
    }

    private static ByteArrayResource named(String file, byte[] bytes) {
        return new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return file;
            }
        };
    }

    // ------------------------------------------------------------------ TIFF surgery on the real stack

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] tiffFirstIfdAt(int offset) {
        byte[] t = TIFF.clone();
        le(t).putInt(4, offset);
        return t;
    }

    /** The first IFD's "next IFD" offset pointing back at itself: a reader that follows the chain never ends. */
    private static byte[] tiffIfdLoop() {
        byte[] t = TIFF.clone();
        ByteBuffer b = le(t);
        int ifd = b.getInt(4);
        int n = b.getShort(ifd) & 0xffff;
        b.putInt(ifd + 2 + 12 * n, ifd);
        return t;
    }

    /** The first IFD with one SHORT/LONG tag's value replaced. */
    private static byte[] tiffTag(int tag, int value) {
        byte[] t = TIFF.clone();
        ByteBuffer b = le(t);
        int ifd = b.getInt(4);
        int n = b.getShort(ifd) & 0xffff;
        for (int i = 0; i < n; i++) {
            int e = ifd + 2 + 12 * i;
            if ((b.getShort(e) & 0xffff) == tag) {
                int type = b.getShort(e + 2);
                if (type == 3) {
                    b.putShort(e + 8, (short) value);
                } else {
                    b.putInt(e + 8, value);
                }
                return t;
            }
        }
        throw new IllegalStateException("tag " + tag + " not in the sample's first IFD");
    }

    /** Every IFD's strip offsets (single-strip or an offsets array) pointing past the end. */
    private static byte[] tiffTagEveryStrip(int tag, int value) {
        byte[] t = TIFF.clone();
        ByteBuffer b = le(t);
        int ifd = b.getInt(4);
        while (ifd != 0) {
            int n = b.getShort(ifd) & 0xffff;
            for (int i = 0; i < n; i++) {
                int e = ifd + 2 + 12 * i;
                if ((b.getShort(e) & 0xffff) == tag) {
                    int count = b.getInt(e + 4);
                    if (count == 1) {
                        b.putInt(e + 8, value);
                    } else {
                        int at = b.getInt(e + 8);
                        for (int k = 0; k < count; k++) {
                            b.putInt(at + 4 * k, value);
                        }
                    }
                }
            }
            ifd = b.getInt(ifd + 2 + 12 * n);
        }
        return t;
    }

    /** A minimal little-endian 8-bit TIFF whose header claims {@code w × h} pixels in one tiny strip. */
    private static byte[] tiffBomb(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 8 * 12 + 4 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        int[][] tags = {{256, 4, w}, {257, 4, h}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, 8 + 2 + 8 * 12 + 4},
                {278, 4, h}, {279, 4, 16}};
        b.putShort((short) tags.length);
        for (int[] tag : tags) {
            b.putShort((short) tag[0]).putShort((short) tag[1]).putInt(1);
            if (tag[1] == 3) {
                b.putShort((short) tag[2]).putShort((short) 0);
            } else {
                b.putInt(tag[2]);
            }
        }
        b.putInt(0);
        return b.array();
    }

    /** A 64 × 64 float32 TIFF (core's writer) holding one poisoned value among real ones. */
    private static byte[] floatTiff(float poison) {
        float[] plane = new float[64 * 64];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = TIFF[TIFF.length / 2 + i] & 0xff;
        }
        plane[100] = poison;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            org.zooscope.core.io.TiffWriter.writeFloat32(new org.zooscope.core.volume.FloatVolume(64, 64, List.of(plane),
                    org.zooscope.core.volume.DataType.FLOAT32, org.zooscope.core.volume.VoxelSize.unknown()), out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ PNG

    private static byte[] pngFlippedData() {
        byte[] p = PNG.clone();
        int idat = indexOf(p, "IDAT".getBytes(StandardCharsets.US_ASCII));
        for (int i = idat + 40; i < Math.min(p.length - 16, idat + 4000); i += 37) {
            p[i] ^= (byte) 0x5a;
        }
        return p;
    }

    private static byte[] pngHeader(int w, int h) {
        byte[] p = PNG.clone();
        int ihdr = indexOf(p, "IHDR".getBytes(StandardCharsets.US_ASCII));
        le(p).order(ByteOrder.BIG_ENDIAN).putInt(ihdr + 4, w).putInt(ihdr + 8, h);
        fixCrc(p, ihdr, 13);
        return p;
    }

    /** A grey PNG of {@code w × h} zeros: a few hundred kilobytes that decode to {@code w·h} bytes. */
    private static byte[] pngBomb(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
            byte[] row = new byte[w + 1];
            for (int y = 0; y < h; y++) {
                d.write(row);
            }
        }
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] pngOf(int w, int h) throws IOException {
        var img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static void fixCrc(byte[] p, int typeAt, int length) {
        CRC32 crc = new CRC32();
        crc.update(p, typeAt, 4 + length);
        ByteBuffer.wrap(p).putInt(typeAt + 4 + length, (int) crc.getValue());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    // ------------------------------------------------------------------ MRC

    private static byte[] mrcHeaderOnly(int nx, int ny, int nz, int mode) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, nx).putInt(4, ny).putInt(8, nz).putInt(12, mode);
        b.put(208, (byte) 'M').put(209, (byte) 'A').put(210, (byte) 'P').put(211, (byte) ' ');
        b.put(212, (byte) 0x44).put(213, (byte) 0x44);
        return b.array();
    }

    /** An MRC of real pixels (8-bit mode 0) from the SBEM stack. */
    private static byte[] mrc(int nx, int ny, int nz, int mode) {
        byte[] head = mrcHeaderOnly(nx, ny, nz, mode);
        byte[] out = Arrays.copyOf(head, 1024 + nx * ny * nz);
        System.arraycopy(TIFF, TIFF.length / 3, out, 1024, nx * ny * nz);
        return out;
    }

    // ------------------------------------------------------------------ zips and YAML

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] zipOfMany(int n) {
        Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("file" + i + ".txt", ("entry " + i).getBytes(StandardCharsets.UTF_8));
        }
        return zip(m);
    }

    private static byte[] halfOf(byte[] b) {
        return Arrays.copyOf(b, b.length / 2);
    }

    private static String yamlBomb() {
        StringBuilder s = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            s.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                s.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            s.append("]\n");
            prev = c;
        }
        return s.toString();
    }

    private static byte[] read(String name) {
        try {
            return Files.readAllBytes(SAMPLES.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the hostile corpus is cut from the shipped samples: " + name, e);
        }
    }
}
