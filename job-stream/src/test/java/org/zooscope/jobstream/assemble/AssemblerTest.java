package org.zooscope.jobstream.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.SliceAssembleTask;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.measure.MeasurementsCsv;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.OmeZarr;
import org.zooscope.jobstream.plan.Planner;

/**
 * Slice assembly then stack assembly on an in-memory store, with three models for two structures whose tiles agree
 * across seams (each pixel's value is a function of its position), so every output can be checked pixel by pixel.
 */
class AssemblerTest {
    private static final int W = 70;
    private static final int H = 50;
    private static final int D = 3;
    private static final int TILE = 32;
    private static final int HALO = 8;

    @TempDir
    Path tmp;
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final RecentEnsembles recent = new RecentEnsembles(RecentEnsembles.DEFAULT_BYTES);
    private AssembleTask task;

    /** Model {@code m}'s probability at a pixel: distinct per model, varying in x, y and z. */
    private static float value(int m, int x, int y, int z) {
        return ((x * 3 + y * 5 + z * 7 + m * 31) % 100) / 100f;
    }

    @BeforeEach
    void writeTilesAndInput() {
        List<AssembleTask.ModelTiles> models = List.of(
                new AssembleTask.ModelTiles("a", "mitochondria", TileLayout.of(TILE, HALO, 1)),
                new AssembleTask.ModelTiles("b", "mitochondria", TileLayout.of(TILE, HALO, 1)),
                new AssembleTask.ModelTiles("c", "membranes", TileLayout.of(TILE, HALO, 1)));
        task = new AssembleTask("j", W, H, D, 0.5, models, "jobs/j/results/",
                false, "jobs/j/stitched/",
                List.of("a@1", "b@1", "c@1"), 0, 1, new JobSettings(true, Augmentation.NONE, 0.5),
                new VoxelSize(2, 2, 10, "nm"), Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:02Z"));
        TileGrid grid = TileGrid.cover(W, H, TILE, HALO, 1);
        for (int m = 0; m < models.size(); m++) {
            for (int z = 0; z < D; z++) {
                for (Tile t : grid.tiles()) {
                    int pw = grid.paddedWidth(t);
                    int ph = grid.paddedHeight(t);
                    float[] out = new float[pw * ph];
                    for (int py = 0; py < ph; py++) {
                        for (int px = 0; px < pw; px++) {
                            out[py * pw + px] = value(m, t.x() - HALO + px, t.y() - HALO + py, z);
                        }
                    }
                    store.put(StorageKeys.Jobs.tile("j", models.get(m).modelId(), z, t.index()),
                            PlaneCodec.encode(grid.stitchPart(t, out)), "");
                }
            }
        }
        for (int z = 0; z < D; z++) {
            store.put("jobs/j/input/" + z + ".f32", PlaneCodec.encode(inputPlane(z)), "");
        }
    }

    private static float[] inputPlane(int z) {
        float[] plane = new float[W * H];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = (i * 13 + z * 101) % 255;
        }
        return plane;
    }

    private SliceAssembleTask slice(int z) {
        return new SliceAssembleTask(task, z, "jobs/j/input/" + z + ".f32");
    }

    private Volume tiff(String key) throws Exception {
        Path f = tmp.resolve(key.replace('/', '_'));
        Files.write(f, store.get(key));
        return VolumeReader.read(f, ReadLimits.defaults());
    }

    /** Kept planes (0 bytes: none, so every ensemble plane is read back from the Zarr) give the same stacks. */
    @ParameterizedTest(name = "planes kept: {0} bytes")
    @ValueSource(longs = {0, RecentEnsembles.DEFAULT_BYTES})
    void stacksHoldEachStructuresEnsembleEachModelsMapAndTheSegmentation(long kept) throws Exception {
        RecentEnsembles recent = new RecentEnsembles(kept);
        SliceAssembler slices = new SliceAssembler(store, recent);
        for (int z = D - 1; z >= 0; z--) { // slices finish in any order
            slices.assemble(slice(z));
        }
        Map<String, String> results = new Assembler(store, recent).assemble(task);

        Volume mito = tiff(results.get("mitochondria/probabilities.tif"));
        Volume membranes = tiff(results.get("membranes/probabilities.tif"));
        Volume modelB = tiff(results.get("models/b/probabilities.tif"));
        Volume seg = tiff(results.get("segmentation.tif"));
        assertThat(results.get("probabilities.tif")).isEqualTo(results.get("mitochondria/probabilities.tif"));
        float[] p = new float[W * H];
        float[] q = new float[W * H];
        float[] b = new float[W * H];
        float[] s = new float[W * H];
        for (int z = 0; z < D; z++) {
            mito.copyPlane(z, p);
            membranes.copyPlane(z, q);
            modelB.copyPlane(z, b);
            seg.copyPlane(z, s);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = y * W + x;
                    float ensemble = (value(0, x, y, z) + value(1, x, y, z)) / 2;
                    assertThat(p[i]).as("mitochondria at %d,%d,%d", x, y, z).isCloseTo(ensemble, within(1e-5f));
                    assertThat(q[i]).isCloseTo(value(2, x, y, z), within(1e-5f));
                    assertThat(b[i]).isCloseTo(value(1, x, y, z), within(1e-5f));
                    assertThat(s[i]).isEqualTo(ensemble >= 0.5 ? 255f : 0f);
                }
            }
        }
        assertThat(results.keySet()).as("overlays are the gateway's, rendered when asked for")
                .noneMatch(name -> name.startsWith("overlay/"));
        assertThat(store.get(results.get("thumbnail.png"))).startsWith(0x89, 'P', 'N', 'G');
        // the Zarr's chunks came from the slice assemblies, its metadata from the final one: read back, it is the stack
        String zarr = results.get("probabilities.ome.zarr");
        Volume zarrMito = OmeZarr.readImage(k -> store.size(zarr + k).map(n -> store.get(zarr + k)), "mitochondria", 0,
                1 << 30);
        for (int z = 0; z < D; z++) {
            mito.copyPlane(z, p);
            zarrMito.copyPlane(z, q);
            assertThat(q).as("Zarr slice %d", z).containsExactly(p);
        }
        assertThat(OmeZarr.levels(k -> store.size(zarr + k).map(n -> store.get(zarr + k)), "membranes")).isEqualTo(1);
        assertThat(results).doesNotContainKey("models/a/uncertainty.tif");
        // read as the Zarr v2 spec says, without the project's own reader: every chunk of every level is there
        for (String structure : List.of("mitochondria", "membranes")) {
            JsonNode ms = EventJson.mapper().readTree(store.get(zarr + structure + "/.zattrs")).at("/multiscales/0/datasets");
            for (JsonNode level : ms) {
                float[][] planes = ZarrSpecReader.read(k -> store.get(zarr + structure + "/" + level.get("path").asText() + "/" + k));
                assertThat(planes).isNotEmpty();
                if (level.get("path").asText().equals("0")) {
                    Volume expected = tiff(results.get(structure + "/probabilities.tif"));
                    for (int z = 0; z < D; z++) {
                        expected.copyPlane(z, p);
                        assertThat(planes[z]).as("%s level 0 slice %d", structure, z).containsExactly(p);
                    }
                }
            }
        }
        JsonNode root = EventJson.mapper().readTree(store.get(zarr + ".zattrs"));
        assertThat(root.at("/zooscope/images").toString()).isEqualTo("[\"mitochondria\",\"membranes\"]");
        assertThat(EventJson.mapper().readTree(store.get(zarr + "mitochondria/.zattrs"))
                .at("/multiscales/0/datasets/0/coordinateTransformations/0/scale").toString()).isEqualTo("[10.0,2.0,2.0]");
    }

    @Test
    void theEnhancedInputTheMeasurementsAndARunRecordWithSettingsAndTimingsAreResults() throws Exception {
        SliceAssembler slices = new SliceAssembler(store, recent);
        for (int z = 0; z < D; z++) {
            slices.assemble(slice(z));
        }
        Map<String, String> results = new Assembler(store, recent).assemble(task);

        Volume enhanced = tiff(results.get("enhanced-input.tif"));
        float[] plane = new float[W * H];
        for (int z = 0; z < D; z++) {
            enhanced.copyPlane(z, plane);
            assertThat(plane).as("enhanced input %d", z).containsExactly(inputPlane(z));
        }
        // every foreground voxel of the mitochondria ensemble is in exactly one measured object
        long foreground = 0;
        for (int z = 0; z < D; z++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    foreground += (value(0, x, y, z) + value(1, x, y, z)) / 2 >= 0.5 ? 1 : 0;
                }
            }
        }
        List<String> rows = new String(store.get(results.get("mitochondria/measurements.csv")), StandardCharsets.UTF_8)
                .lines().toList();
        assertThat(rows.get(0)).isEqualTo(MeasurementsCsv.HEADER);
        long voxels = rows.stream().skip(1).mapToLong(r -> Long.parseLong(r.split(",")[1])).sum();
        assertThat(voxels).isEqualTo(foreground).isPositive();
        assertThat(rows.get(1).split(",")[3]).isEqualTo("nm^3");
        assertThat(results).containsKey("membranes/measurements.csv");

        JsonNode run = EventJson.mapper().readTree(store.get(results.get("run.json")));
        assertThat(run.at("/settings/enhance").asBoolean()).isTrue();
        assertThat(run.at("/settings/augmentation").asText()).isEqualTo("none");
        assertThat(run.at("/structures/membranes/0").asText()).isEqualTo("c");
        assertThat(run.at("/measurements/mitochondria/objects").asInt()).isEqualTo(rows.size() - 1);
        assertThat(run.at("/timings/secondsBeforeInference").asDouble()).isEqualTo(2.0);
        assertThat(run.at("/timings/secondsTotal").asDouble()).isPositive();
    }

    @Test
    void aMissingSliceFailsTheAssemblyAndLeavesNoHalfWrittenStack() {
        SliceAssembler slices = new SliceAssembler(store, recent);
        slices.assemble(slice(0));
        slices.assemble(slice(1)); // slice 2 never assembled

        // slice 2's chunks of the structure's Zarr are not there: an error naming them, not a stack of zeros
        assertThatThrownBy(() -> new Assembler(store, recent).assemble(task))
                .hasRootCauseInstanceOf(java.io.FileNotFoundException.class)
                .rootCause().hasMessageContaining("chunk 2/0/0").hasMessageContaining("is not stored");
        assertThat(store.size("jobs/j/results/mitochondria/probabilities.tif")).isEmpty();
        assertThat(store.size("jobs/j/results/segmentation.tif")).isEmpty();
    }

    @Test
    void theFinalAssemblyTakesThePlanesItsSliceAssembliesKeptAndThenLetsThemGo() throws Exception {
        SliceAssembler slices = new SliceAssembler(store, recent);
        for (int z = 0; z < D; z++) {
            slices.assemble(slice(z));
        }
        assertThat(recent.bytes()).isEqualTo(2L * D * W * H * 4); // two structures
        // without the kept planes this would fail, naming the missing chunks (see the test below)
        store.deletePrefix("jobs/j/results/probabilities.ome.zarr/mitochondria/0/");

        Map<String, String> results = new Assembler(store, recent).assemble(task);

        Volume mito = tiff(results.get("mitochondria/probabilities.tif"));
        float[] p = new float[W * H];
        for (int z = 0; z < D; z++) {
            mito.copyPlane(z, p);
            for (int i = 0; i < p.length; i++) {
                float expected = (value(0, i % W, i / W, z) + value(1, i % W, i / W, z)) / 2;
                assertThat(p[i]).as("z %d pixel %d", z, i).isCloseTo(expected, within(1e-6f));
            }
        }
        assertThat(recent.bytes()).isZero();
    }
}
