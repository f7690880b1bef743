package org.zooscope.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.OmeZarr;

/**
 * A dataset written slice by slice reads back voxel for voxel at every level, with its card written last and its
 * statistics over the whole volume; a failed ingest leaves nothing; layers are listed only once complete.
 */
class DatasetWriterTest {
    private static final int W = 600;
    private static final int H = 300;
    private static final int D = 3;

    @TempDir
    Path dir;

    /** 16-bit voxels that differ everywhere (so a misplaced chunk shows), edges not on chunk borders. */
    static float[] plane(int z, int w, int h) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = (x * 7 + y * 13 + z * 1000) % 65536;
            }
        }
        return p;
    }

    static DatasetWriter.Slices slices(int w, int h, int d, DataType type, int failAt) {
        return new DatasetWriter.Slices() {
            public int width() {
                return w;
            }

            public int height() {
                return h;
            }

            public int depth() {
                return d;
            }

            public DataType dataType() {
                return type;
            }

            public VoxelSize voxelSize() {
                return new VoxelSize(5.9, 5.9, 40, "nm");
            }

            public double min() {
                return 0;
            }

            public double max() {
                return 65535;
            }

            public float[] slice(int z) throws IOException {
                if (z == failAt) {
                    throw new IOException("slice " + z + " is unreadable");
                }
                return plane(z, w, h);
            }
        };
    }

    static DatasetCard draft(String id) {
        return new DatasetCard(id, "Test volume", "a pattern", "SBEM", "mouse", 0, 0, 0, null, null, 0, "CC0",
                "nobody 2026", "made up in a test", "owner-hash", null);
    }

    /** Records the order of puts. */
    static final class RecordingStore implements org.zooscope.core.store.ObjectStore {
        final InMemoryObjectStore inner = new InMemoryObjectStore();
        final List<String> puts = new ArrayList<>();

        @Override
        public void put(String key, byte[] bytes, String contentType) {
            puts.add(key);
            inner.put(key, bytes, contentType);
        }

        @Override
        public void put(String key, Path file, String contentType) {
            puts.add(key);
            inner.put(key, file, contentType);
        }

        @Override
        public byte[] get(String key) {
            return inner.get(key);
        }

        @Override
        public java.io.InputStream open(String key) {
            return inner.open(key);
        }

        @Override
        public java.util.Optional<Long> size(String key) {
            return inner.size(key);
        }

        @Override
        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public void deletePrefix(String prefix) {
            inner.deletePrefix(prefix);
        }

        @Override
        public String uri(String key) {
            return inner.uri(key);
        }
    }

    @Test
    void shouldReadBackEveryVoxelAtEveryLevelWhenWrittenSliceBySlice() {
        // given
        RecordingStore store = new RecordingStore();
        List<Integer> progress = new ArrayList<>();

        // when
        DatasetCard card = new DatasetWriter(store).write(draft("pattern"), slices(W, H, D, DataType.UINT16, -1),
                progress::add);

        // then
        assertThat(card.width()).isEqualTo(W);
        assertThat(card.height()).isEqualTo(H);
        assertThat(card.depth()).isEqualTo(D);
        assertThat(card.dtype()).isEqualTo("uint16");
        assertThat(card.levels()).isEqualTo(3); // 600 -> 300 -> 150 fits one chunk
        assertThat(card.createdAt()).isNotNull();
        assertThat(progress).containsExactly(1, 2, 3);
        assertThat(store.puts.get(store.puts.size() - 1)).isEqualTo(DatasetKeys.card("pattern"));

        DatasetReader reader = new DatasetReader(store, "pattern");
        assertThat(reader.card()).isEqualTo(card);
        assertThat(reader.shape(0)).containsExactly(D, H, W);
        assertThat(reader.image().chunks(0)).containsExactly(1, 256, 256);
        for (int z = 0; z < D; z++) {
            assertThat(reader.readBox(0, 0, 0, z, W, H)).containsExactly(plane(z, W, H));
        }
        // a box across four chunks, ending at the volume's edge
        float[] box = reader.readBox(0, 250, 200, 1, W - 250, H - 200);
        float[] whole = plane(1, W, H);
        for (int y = 0; y < H - 200; y++) {
            for (int x = 0; x < W - 250; x++) {
                assertThat(box[y * (W - 250) + x]).isEqualTo(whole[(200 + y) * W + 250 + x]);
            }
        }
        // level 1: the 2 x 2 means, rounded to 16 bits
        assertThat(reader.shape(1)).containsExactly(D, H / 2, W / 2);
        float[] l1 = reader.readBox(1, 0, 0, 2, W / 2, H / 2);
        float[] p2 = plane(2, W, H);
        for (int y = 0; y < H / 2; y++) {
            for (int x = 0; x < W / 2; x++) {
                double mean = (p2[2 * y * W + 2 * x] + p2[2 * y * W + 2 * x + 1] + p2[(2 * y + 1) * W + 2 * x]
                        + p2[(2 * y + 1) * W + 2 * x + 1]) / 4.0;
                assertThat((double) l1[y * (W / 2) + x]).isCloseTo(mean, within(0.51));
            }
        }
        assertThatThrownBy(() -> reader.readBox(0, W - 10, 0, 0, 11, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside level 0");
    }

    @Test
    void shouldBeAnOmeZarrImageThatOthersCanRead() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore();
        new DatasetWriter(store).write(draft("ngff"), slices(W, H, D, DataType.UINT16, -1), n -> { });

        String image = DatasetKeys.image("ngff") + "/";
        Volume level0 = OmeZarr.readImage(key -> store.size(image + key).map(s -> store.get(image + key)), "", 0,
                1 << 30);

        assertThat(level0.dataType()).isEqualTo(DataType.UINT16);
        assertThat(level0.voxelSize()).isEqualTo(new VoxelSize(5.9, 5.9, 40, "nm"));
        float[] p = new float[W * H];
        level0.copyPlane(2, p);
        assertThat(p).containsExactly(plane(2, W, H));
    }

    @Test
    void shouldKeepWholeVolumeStatistics() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        new DatasetWriter(store).write(draft("stats"), slices(W, H, D, DataType.UINT16, -1), n -> { });

        DatasetStats stats = new DatasetReader(store, "stats").stats();

        double sum = 0;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int z = 0; z < D; z++) {
            for (float f : plane(z, W, H)) {
                sum += f;
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
        }
        assertThat(stats.raw().count()).isEqualTo((long) W * H * D);
        assertThat(stats.raw().mean()).isCloseTo(sum / ((long) W * H * D), within(1e-6));
        assertThat(stats.raw().min()).isEqualTo(min);
        assertThat(stats.raw().max()).isEqualTo(max);
        assertThat(stats.raw().lo()).isEqualTo(0);
        assertThat(stats.raw().hi()).isEqualTo(65535);
        // the median of the pattern, within a histogram bin (65536 / 4096 = 16)
        List<Float> all = new ArrayList<>();
        for (int z = 0; z < D; z++) {
            for (float f : plane(z, W, H)) {
                all.add(f);
            }
        }
        all.sort(null);
        assertThat(stats.raw().percentile(50)).isCloseTo(all.get(all.size() / 2), within(16.0));
        assertThat(stats.sampledSlices()).isEqualTo(D);
        assertThat(stats.enhancement()).isNotNull();
        assertThat(stats.enhanced().count()).isEqualTo((long) 512 * H * D); // a 512-wide window of each slice
    }

    @Test
    void shouldLeaveNothingWhenASliceFails() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        DatasetWriter writer = new DatasetWriter(store);

        assertThatThrownBy(() -> writer.write(draft("broken"), slices(W, H, D, DataType.UINT16, 2), n -> { }))
                .hasMessageContaining("slice 2 is unreadable");

        assertThat(store.list(DatasetKeys.prefix("broken"))).isEmpty();
    }

    @Test
    void shouldLeaveNothingWhenASliceHasTheWrongSize() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        DatasetWriter.Slices wrong = new DatasetWriter.Slices() {
            final DatasetWriter.Slices ok = slices(W, H, D, DataType.UINT16, -1);

            public int width() {
                return W;
            }

            public int height() {
                return H;
            }

            public int depth() {
                return D;
            }

            public DataType dataType() {
                return DataType.UINT16;
            }

            public VoxelSize voxelSize() {
                return VoxelSize.unknown();
            }

            public double min() {
                return 0;
            }

            public double max() {
                return 1;
            }

            public float[] slice(int z) throws IOException {
                return z == 1 ? new float[7] : ok.slice(z);
            }
        };

        assertThatThrownBy(() -> new DatasetWriter(store).write(draft("wrong"), wrong, n -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slice 1 has 7 voxels");
        assertThat(store.list(DatasetKeys.prefix("wrong"))).isEmpty();
    }

    @Test
    void shouldClearWhatAnInterruptedIngestLeft() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        // a larger ingest of the same id was cut off: chunks, no card
        store.put(DatasetKeys.image("again") + "/0/5/9/9", new byte[10], "application/octet-stream");

        new DatasetWriter(store).write(draft("again"), slices(W, H, 1, DataType.UINT16, -1), n -> { });

        assertThat(store.size(DatasetKeys.image("again") + "/0/5/9/9")).isEmpty();
        assertThat(new DatasetReader(store, "again").card().depth()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnExistingDatasetAndLeaveItAlone() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        DatasetWriter writer = new DatasetWriter(store);
        writer.write(draft("twice"), slices(W, H, 1, DataType.UINT16, -1), n -> { });
        int keys = store.list(DatasetKeys.prefix("twice")).size();

        assertThatThrownBy(() -> writer.write(draft("twice"), slices(W, H, 1, DataType.UINT16, -1), n -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exists already");

        assertThat(store.list(DatasetKeys.prefix("twice"))).hasSize(keys);
        assertThat(new DatasetReader(store, "twice").card().depth()).isEqualTo(1);
    }

    @Test
    void shouldIngestAnUploadsStoredPlanes() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        List<String> keys = new ArrayList<>();
        for (int z = 0; z < 2; z++) {
            keys.add(StorageKeys.Uploads.plane("u-1", z));
            store.put(keys.get(z), PlaneCodec.encode(plane(z, 40, 30)), "application/octet-stream");
        }
        UploadedVolume up = new UploadedVolume("u-1", "owner", 40, 30, 2, "uint16", 0, 2000, 4.0, 4.0, 30.0, "nm",
                keys, List.of("a.tif"), 100, Instant.now());

        DatasetCard card = new DatasetWriter(store).write(draft("from-upload"), new UploadedSlices(store, up, null),
                n -> { });

        assertThat(card.voxelSize()).isEqualTo(new VoxelSize(4, 4, 30, "nm"));
        assertThat(card.levels()).isEqualTo(1);
        assertThat(new DatasetReader(store, "from-upload").readBox(0, 0, 0, 1, 40, 30)).containsExactly(plane(1, 40, 30));
        assertThat(new UploadedSlices(store, up, new VoxelSize(1, 1, 2, "µm")).voxelSize().unit()).isEqualTo("µm");
    }

    @Test
    void shouldListOnlyCompleteLayers() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore();
        new DatasetWriter(store).write(draft("layered"), slices(W, H, 2, DataType.UINT16, -1), n -> { });
        String image = DatasetKeys.layerImage("layered", "j-1", "mitochondria");
        List<float[]> probs = new ArrayList<>();
        for (int z = 0; z < 2; z++) {
            float[] p = new float[W * H];
            for (int i = 0; i < p.length; i++) {
                p[i] = (i % 100) / 100f;
            }
            probs.add(p);
        }
        OmeZarr.writeImage(new FloatVolume(W, H, probs, DataType.FLOAT32, VoxelSize.unknown()),
                (k, b) -> store.put(image + "/" + k, b, "application/octet-stream"), OmeZarr.Options.float32("p"));
        DatasetLayer layer = new DatasetLayer("j-1", "layered", List.of("mitochondria"), List.of("mito-sbem-2d@0.2.0"),
                0.5, Instant.parse("2026-12-01T10:00:00Z"), Map.of("mitochondria", image), Map.of());
        store.put(DatasetKeys.layerRecord("layered", "j-1"), EventJson.toBytes(layer), "application/json");
        // a run still writing: no layer.json yet
        store.put(DatasetKeys.layer("layered", "j-2") + "mitochondria.zarr/.zgroup", new byte[2], "application/json");

        DatasetReader reader = new DatasetReader(store, "layered");

        assertThat(reader.layers()).containsExactly(layer);
        assertThat(reader.layer("j-2")).isEmpty();
        PyramidReader probabilities = reader.layerImage(layer, "mitochondria").orElseThrow();
        assertThat(probabilities.shape(0)).containsExactly(2, H, W);
        assertThat(probabilities.readBox(0, 0, 0, 1, 256, 1)[99]).isEqualTo(0.99f);
        assertThat(reader.layerImage(layer, "membranes")).isEmpty();
        assertThat(reader.layerImage(new DatasetLayer("j-1", "layered", List.of("x"), List.of(), 0.5, null,
                Map.of("x", "datasets/other/image.zarr"), null), "x")).isEmpty();
        // the layer record is the contract with job-stream: its JSON field names
        assertThat(EventJson.mapper().readTree(EventJson.toBytes(layer)).fieldNames()).toIterable()
                .containsExactly("jobId", "datasetId", "structures", "models", "threshold", "createdAt", "images",
                        "segmentations");
    }

    @Test
    void shouldWriteSixteenBitRegionsAsTiff() throws Exception {
        FloatVolume v = new FloatVolume(W, H, List.of(plane(0, W, H), plane(1, W, H)), DataType.UINT16,
                new VoxelSize(5.9, 5.9, 40, "nm"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TiffWriter.write(v, out, DataType.UINT16, TiffWriter.Compression.DEFLATE);

        Path f = dir.resolve("region.tif");
        Files.write(f, out.toByteArray());
        Volume back = VolumeReader.read(f, ReadLimits.defaults());
        assertThat(back.dataType()).isEqualTo(DataType.UINT16);
        float[] p = new float[W * H];
        back.copyPlane(1, p);
        assertThat(p).containsExactly(plane(1, W, H));
    }

    @Test
    void cardIsIndexedWithoutItsOwner() {
        DatasetCard card = draft("indexed").withShape(10, 20, 3, "uint8", new VoxelSize(5.9, 5.9, 40, "nm"), 1,
                Instant.parse("2026-12-01T10:00:00Z"));

        Map<String, Object> m = card.registered(Instant.now()).card();

        assertThat(m).containsEntry("id", "indexed").containsEntry("width", 10).containsEntry("licence", "CC0")
                .doesNotContainKey("ownerHash");
        assertThat(m.get("voxelSize")).isEqualTo(Map.of("x", 5.9, "y", 5.9, "z", 40.0, "unit", "nm"));
        assertThat(card.registered(Instant.now()).dataKey()).isEqualTo("datasets/indexed/");
    }
}
