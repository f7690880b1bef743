package org.zooscope.infra.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetReader;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/** The shipped demo dataset ingests into a 2048 × 2048 × 16 mirror mosaic of its real slices, once. */
class DatasetSeederTest {
    private static final Path DEMO = Path.of(System.getProperty("zooscope.root", "..")).resolve("samples/demo-dataset");

    @Test
    void shouldIngestTheDemoAsAMirrorMosaicOfItsRealSlicesOnce() throws Exception {
        // given
        InMemoryObjectStore store = new InMemoryObjectStore();
        List<Path> files = DatasetSeeder.demoSlices(DEMO);
        assertThat(files).hasSize(16);

        // when
        long t0 = System.nanoTime();
        DatasetCard card = DatasetSeeder.ensureDemo(DEMO, store);
        System.out.printf("demo dataset ingested in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        // then
        assertThat(card.id()).isEqualTo(DatasetSeeder.DEMO_ID);
        assertThat(new int[] {card.width(), card.height(), card.depth()}).containsExactly(2048, 2048, 16);
        assertThat(card.dtype()).isEqualTo("uint8");
        assertThat(card.voxelSize()).isEqualTo(new VoxelSize(5.9, 5.9, 40, "nm"));
        assertThat(card.levels()).isEqualTo(4);
        assertThat(card.source()).contains("2 × 2 mirror mosaic", "top-right flipped horizontally");
        DatasetReader reader = new DatasetReader(store, DatasetSeeder.DEMO_ID);
        Volume original = VolumeReader.read(files.get(5), ReadLimits.defaults());
        float[] src = new float[1024 * 1024];
        original.copyPlane(0, src);
        float[] row = reader.readBox(0, 0, 700, 5, 2048, 1);
        float[] col = reader.readBox(0, 300, 0, 5, 1, 2048);
        for (int i = 0; i < 1024; i++) {
            assertThat(row[i]).isEqualTo(src[700 * 1024 + i]);
            assertThat(row[2047 - i]).isEqualTo(src[700 * 1024 + i]);
            assertThat(col[i]).isEqualTo(src[i * 1024 + 300]);
            assertThat(col[2047 - i]).isEqualTo(src[i * 1024 + 300]);
        }
        double lo = reader.stats().raw().percentile(0.5);
        double hi = reader.stats().raw().percentile(99.5);
        assertThat(lo).isLessThan(hi);

        // and again: nothing is written, the card is the stored one
        int keys = store.list(DatasetKeys.prefix(DatasetSeeder.DEMO_ID)).size();
        assertThat(DatasetSeeder.ensureDemo(DEMO, store)).isEqualTo(card);
        assertThat(store.list(DatasetKeys.prefix(DatasetSeeder.DEMO_ID))).hasSize(keys);
    }
}
