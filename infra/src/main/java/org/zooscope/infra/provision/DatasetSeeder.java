package org.zooscope.infra.provision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetReader;
import org.zooscope.core.dataset.DatasetWriter;
import org.zooscope.core.dataset.MosaicSlices;
import org.zooscope.core.events.DatasetRegistered;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.Topics;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;

/**
 * The demo dataset a fresh clone offers: 16 real SBEM slices shipped in {@code samples/demo-dataset/}, ingested as a
 * 2048 × 2048 × 16 hosted dataset (each slice a 2 × 2 mirror mosaic of one 1024 × 1024 slice, see
 * {@link MosaicSlices}) and announced on {@link Topics#DATASETS_REGISTERED}. Idempotent: when its card is already
 * in the store, the dataset is only announced again.
 */
public final class DatasetSeeder {
    /** The demo dataset's id. */
    public static final String DEMO_ID = "sbem-mouse-brain-demo";
    private static final Logger log = LoggerFactory.getLogger(DatasetSeeder.class);

    private DatasetSeeder() {
    }

    /** What the demo dataset is (its shape is filled in by the ingest). */
    public static DatasetCard demoCard() {
        return new DatasetCard(DEMO_ID, "SBEM mouse brain, CDeep3M demo volume (2048 × 2048 × 16 mosaic)",
                "Serial block-face electron microscopy of mouse brain: 16 consecutive slices of the CDeep3M demo volume,"
                        + " 8-bit, about 5.9 nm per pixel and 40 nm per slice, with mitochondria, membranes, vesicles"
                        + " and myelinated axons. Each 2048 × 2048 slice is a 2 × 2 mirror mosaic of one real"
                        + " 1024 × 1024 slice, so every voxel is real EM.",
                "SBEM", "mouse", 0, 0, 0, null, null, 0,
                "CDeep3M licence, © The Regents of the University of California: educational, research and"
                        + " non-profit use with attribution (full text in samples/demo-dataset/SOURCE_LICENSE.txt)",
                "Haberl M.G., Churas C., Tindall L. et al., CDeep3M — Plug-and-Play cloud-based deep learning for"
                        + " image segmentation, Nature Methods 15:677–680 (2018)",
                "Slices images.020 to images.035 (1024 × 1024, 8-bit) of the CDeep3M demo volume as processed for"
                        + " CDeep3M2 (github.com/CRBS/cdeep3m2, training/images), © UC Regents. Each slice of this"
                        + " dataset is a 2 × 2 mirror mosaic of one of them: top-left the original, top-right flipped"
                        + " horizontally, bottom-left flipped vertically, bottom-right flipped both ways; seamless,"
                        + " all real EM, nothing invented.",
                null, null);
    }

    /** The demo's slice files in z order ({@code images.NNN.png}). */
    static List<Path> demoSlices(Path demoDir) {
        try (Stream<Path> files = Files.list(demoDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the demo dataset's slices in " + demoDir, e);
        }
    }

    /** Ingests the demo dataset from {@code demoDir} unless its card is in the store; returns the card. */
    public static DatasetCard ensureDemo(Path demoDir, ObjectStore store) {
        if (store.size(DatasetKeys.card(DEMO_ID)).isPresent()) {
            return new DatasetReader(store, DEMO_ID).card();
        }
        List<Path> files = demoSlices(demoDir);
        if (files.isEmpty()) {
            throw new IllegalStateException("no demo dataset slices (*.png) in " + demoDir);
        }
        long t0 = System.nanoTime();
        MosaicSlices slices;
        try {
            slices = new MosaicSlices(files, 2, files.size(), DataType.UINT8, 1, 0, new VoxelSize(5.9, 5.9, 40, "nm"));
        } catch (ImageReadException e) {
            throw new IllegalStateException("the demo dataset's first slice cannot be read: " + e.getMessage(), e);
        }
        DatasetCard card = new DatasetWriter(store).write(demoCard(), slices, z -> { });
        log.info("ingested the demo dataset {} ({} x {} x {}) in {} ms", DEMO_ID, card.width(), card.height(),
                card.depth(), (System.nanoTime() - t0) / 1_000_000);
        return card;
    }

    /** {@link #ensureDemo}, then announces it; returns the card. */
    public static DatasetCard seedDemo(Path demoDir, ObjectStore store, String bootstrap) {
        DatasetCard card = ensureDemo(demoDir, store);
        announce(card.registered(Instant.now()), bootstrap);
        return card;
    }

    static void announce(DatasetRegistered event, String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DATASETS_REGISTERED.name(), event.datasetId(),
                    EventJson.toBytes(event))).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot announce dataset " + event.datasetId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing dataset " + event.datasetId(), e);
        }
    }
}
