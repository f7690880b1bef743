package org.zooscope.core.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

class OmeZarrTest {

    @TempDir
    Path dir;

    private static FloatVolume probabilities(int w, int h, int d) {
        Random r = new Random(1);
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] p = new float[w * h];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
            planes.add(p);
        }
        return new FloatVolume(w, h, planes, DataType.FLOAT32, new VoxelSize(5.9, 5.9, 40, "nm"));
    }

    @Test
    void shouldRoundTripEveryLevelThroughADirectory() throws Exception {
        FloatVolume v = probabilities(300, 170, 3);
        DirectoryStore store = new DirectoryStore(dir.resolve("result.zarr"));
        int levels = OmeZarr.writeImage(v, store, OmeZarr.Options.float32("probabilities").withChunks(2, 64));
        assertThat(levels).isEqualTo(4); // 300 -> 150 -> 75 -> 38 (fits 64)
        assertThat(OmeZarr.levels(store, "")).isEqualTo(4);
        FloatVolume back = OmeZarr.readImage(store, "", 0, 1 << 30);
        for (int z = 0; z < 3; z++) {
            assertThat(back.plane(z)).containsExactly(v.plane(z));
        }
        assertThat(back.voxelSize()).isEqualTo(v.voxelSize());
        FloatVolume l1 = OmeZarr.readImage(store, "", 1, 1 << 30);
        assertThat(l1.width()).isEqualTo(150);
        assertThat(l1.height()).isEqualTo(85);
        assertThat(l1.voxelSize().x()).isEqualTo(11.8);
        assertThat(l1.voxelSize().z()).isEqualTo(40.0);
        float mean = (v.plane(1)[0] + v.plane(1)[1] + v.plane(1)[300] + v.plane(1)[301]) / 4;
        assertThat(l1.plane(1)[0]).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(Files.exists(dir.resolve("result.zarr/0/1/2/4"))).isTrue(); // '/' keys: last z, y and x chunk
        assertThat(Files.exists(dir.resolve("result.zarr/0/2"))).isFalse();
    }

    @Test
    void anImageWrittenSliceBySliceInAnyOrderEqualsOneWrittenWhole() throws Exception {
        FloatVolume v = probabilities(300, 170, 3);
        OmeZarr.Options o = OmeZarr.Options.float32("p").withChunks(1, 64);
        MemoryStore whole = new MemoryStore();
        OmeZarr.writeImage(v, whole, o);

        MemoryStore slices = new MemoryStore();
        for (int z : new int[] {2, 0, 1}) {
            OmeZarr.writeImageSlice(v.slice(z), z, v.depth(), slices, o);
        }
        int levels = OmeZarr.writeImageMetadata(v.width(), v.height(), v.depth(), v.voxelSize(), slices, o);

        assertThat(levels).isEqualTo(OmeZarr.levels(whole, ""));
        assertThat(slices.keys()).isEqualTo(whole.keys());
        for (String key : whole.keys()) {
            assertThat(slices.get(key).orElseThrow()).as(key).isEqualTo(whole.get(key).orElseThrow());
        }
        assertThatThrownBy(() -> OmeZarr.writeImageSlice(v.slice(0), 0, 3, slices, o.withChunks(2, 64)))
                .hasMessageContaining("one plane deep");
    }

    @Test
    void aSliceIsReadBackFromItsChunksBeforeTheMetadataIsWrittenAndAMissingChunkIsAnError() throws Exception {
        FloatVolume v = probabilities(300, 170, 3); // edge chunks: 300 = 4 x 64 + 44, 170 = 2 x 64 + 42
        OmeZarr.Options o = OmeZarr.Options.float32("p").withChunks(1, 64).withCompressor(null);
        MemoryStore slices = new MemoryStore();
        for (int z : new int[] {1, 2}) {
            OmeZarr.writeImageSlice(v.slice(z), z, v.depth(), slices, o);
        }
        float[] expected = new float[300 * 170];
        v.copyPlane(2, expected);
        assertThat(OmeZarr.readImageSlice(slices, 300, 170, 3, 2, o)).containsExactly(expected);
        assertThatThrownBy(() -> OmeZarr.readImageSlice(slices, 300, 170, 3, 0, o))
                .isInstanceOf(java.io.FileNotFoundException.class).hasMessageContaining("chunk 0/0/0");
    }

    @Test
    void shouldWriteNgffMetadataThatViewersExpect() throws Exception {
        MemoryStore store = new MemoryStore();
        OmeZarr.writeImage(probabilities(100, 80, 2), store, OmeZarr.Options.float32("p").withChunks(1, 32));
        JsonNode attrs = new ObjectMapper().readTree(store.get(".zattrs").orElseThrow());
        JsonNode ms = attrs.get("multiscales").get(0);
        assertThat(ms.get("version").asText()).isEqualTo("0.4");
        assertThat(ms.get("axes").get(0).get("name").asText()).isEqualTo("z");
        assertThat(ms.get("axes").get(2).get("unit").asText()).isEqualTo("nanometer");
        JsonNode d1 = ms.get("datasets").get(1);
        assertThat(d1.get("path").asText()).isEqualTo("1");
        assertThat(d1.get("coordinateTransformations").get(0).get("scale").get(2).asDouble()).isEqualTo(11.8);
        assertThat(d1.get("coordinateTransformations").get(1).get("type").asText()).isEqualTo("translation");
        JsonNode zarray = new ObjectMapper().readTree(store.get("0/.zarray").orElseThrow());
        assertThat(zarray.get("dimension_separator").asText()).isEqualTo("/");
        assertThat(zarray.get("compressor").get("id").asText()).isEqualTo("zlib");
        assertThat(zarray.get("dtype").asText()).isEqualTo("<f4");
        assertThat(new ObjectMapper().readTree(store.get(".zgroup").orElseThrow()).get("zarr_format").asInt())
                .isEqualTo(2);
        assertThat(store.keys()).contains("0/1/2/3", "1/.zarray");
    }

    @Test
    void shouldWriteLabelImagesWithColours() throws Exception {
        float[] mask = new float[40 * 30];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (i % 40) > 20 ? 1 : 0;
        }
        FloatVolume labels = new FloatVolume(40, 30, List.of(mask), DataType.UINT8, VoxelSize.unknown());
        MemoryStore store = new MemoryStore();
        Map<String, org.zooscope.core.volume.Volume> m = new LinkedHashMap<>();
        m.put("mitochondria", labels);
        OmeZarr.writeLabels(store, m, Map.of("mitochondria", Map.of(1, 0x00FF00)),
                OmeZarr.Options.uint8("mitochondria").withChunks(1, 16));
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(store.get("labels/.zattrs").orElseThrow()).get("labels").get(0).asText())
                .isEqualTo("mitochondria");
        JsonNode il = json.readTree(store.get("labels/mitochondria/.zattrs").orElseThrow()).get("image-label");
        assertThat(il.get("colors").get(0).get("label-value").asInt()).isEqualTo(1);
        assertThat(il.get("colors").get(0).get("rgba").toString()).isEqualTo("[0,255,0,255]");
        FloatVolume back = OmeZarr.readImage(store, "labels/mitochondria", 0, 1 << 20);
        assertThat(back.plane(0)).containsExactly(mask);
        // nearest downsampling keeps label values 0/1 only
        FloatVolume l1 = OmeZarr.readImage(store, "labels/mitochondria", 1, 1 << 20);
        for (float f : l1.plane(0)) {
            assertThat(f).isIn(0f, 1f);
        }
    }

    @Test
    void shouldRoundAndSaturateIntegerStorage() throws Exception {
        float[] p = {-5, 0.5f, 1.5f, 254.7f, 300, 17};
        FloatVolume v = new FloatVolume(3, 2, List.of(p), DataType.FLOAT32, VoxelSize.unknown());
        MemoryStore store = new MemoryStore();
        OmeZarr.writeImage(v, store, OmeZarr.Options.uint8("u8"));
        assertThat(OmeZarr.readImage(store, "", 0, 1 << 20).plane(0)).containsExactly(0, 0, 2, 255, 255, 17);
    }

    @Test
    void shouldRefuseWhatItCannotRead() throws Exception {
        MemoryStore store = new MemoryStore();
        assertThatThrownBy(() -> OmeZarr.readImage(store, "", 0, 1 << 20)).isInstanceOf(ZarrFormatException.class);
        store.put("a/.zarray", "{\"zarr_format\": 2, \"shape\": [4], \"chunks\": [4], \"dtype\": \"<f4\", \"order\": \"F\"}"
                .getBytes());
        assertThatThrownBy(() -> ZarrArray.open(store, "a")).hasMessageContaining("C order");
        store.put("b/.zarray", "{\"zarr_format\": 2, \"shape\": [4], \"chunks\": [4], \"dtype\": \"<f4\", \"compressor\": {\"id\": \"blosc\"}}"
                .getBytes());
        assertThatThrownBy(() -> ZarrArray.open(store, "b")).hasMessageContaining("blosc");
        OmeZarr.writeImage(probabilities(10, 10, 1), store, OmeZarr.Options.float32("x"));
        assertThatThrownBy(() -> OmeZarr.readImage(store, "", 0, 100)).hasMessageContaining("limit");
    }

    @Test
    void shouldRefuseUnsafeDirectoryKeys() {
        DirectoryStore s = new DirectoryStore(dir);
        assertThatThrownBy(() -> s.put("../escape", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.put("/abs", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }
}
