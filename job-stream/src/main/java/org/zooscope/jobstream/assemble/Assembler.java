package org.zooscope.jobstream.assemble;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.OmeZarr;

/**
 * The last step of a job, once every slice is assembled ({@link SliceAssembler}): writes the stacks from the stitched
 * slices — each structure's float32 probabilities and the first structure's 8-bit segmentation as multi-page TIFFs,
 * per-model maps and uncertainty maps when there are several models or augmentation, the metadata of the OME-Zarr
 * whose chunks the slice assemblies wrote, and a JSON run record — and names every result, the per-slice overlays
 * included. Planes are read from the store as the writers ask for them and big TIFFs stream to the store, so memory
 * holds a few planes, not the volume. Keys are deterministic, so assembling twice is harmless.
 */
public final class Assembler {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Assembler.class);
    /** Stacks up to this size are encoded in memory and stored with one request; bigger ones stream in parts. */
    static final long SINGLE_PUT_BYTES = 48L << 20;

    private final ObjectStore store;
    private final long singlePutBytes;

    public Assembler(ObjectStore store) {
        this(store, SINGLE_PUT_BYTES);
    }

    Assembler(ObjectStore store, long singlePutBytes) {
        this.store = store;
        this.singlePutBytes = singlePutBytes;
    }

    static String overlayKey(AssembleTask task, int z) {
        return task.resultsPrefix() + "overlay/" + z + ".png";
    }

    static String thumbnailKey(AssembleTask task) {
        return task.resultsPrefix() + "thumbnail.png";
    }

    /** Returns result name → S3 key. */
    public Map<String, String> assemble(AssembleTask task) {
        Map<String, List<String>> modelsByStructure = new LinkedHashMap<>();
        for (AssembleTask.ModelTiles m : task.models()) {
            modelsByStructure.computeIfAbsent(m.structure(), k -> new ArrayList<>()).add(m.modelId());
        }
        Map<String, StitchedPlanes> structures = new LinkedHashMap<>();
        modelsByStructure.keySet().forEach(s -> structures.put(s,
                StitchedPlanes.of(store, task, z -> StitchedPlanes.structureKey(task, s, z))));

        // the TIFFs are written side by side on the I/O threads (the segmentation reads the probabilities' cached planes)
        Map<String, String> results = new LinkedHashMap<>();
        List<CompletableFuture<?>> tiffs = new ArrayList<>();
        String first = structures.keySet().iterator().next();
        structures.forEach((structure, planes) -> {
            String key = task.resultsPrefix() + structure + "/probabilities.tif";
            AssemblyIo.run(() -> writeTiff(key, planes, true), tiffs);
            results.put(structure + "/probabilities.tif", key);
            if (structure.equals(first)) {
                // the main map is the first structure's: one object under both names, written once
                results.put("probabilities.tif", key);
                String seg = task.resultsPrefix() + "segmentation.tif";
                AssemblyIo.run(() -> writeTiff(seg, planes.thresholded(task.threshold()), false), tiffs);
                results.put("segmentation.tif", seg);
            }
        });
        for (AssembleTask.ModelTiles m : task.models()) {
            if (task.models().size() > 1) {
                String key = task.resultsPrefix() + "models/" + m.modelId() + "/probabilities.tif";
                StitchedPlanes planes = StitchedPlanes.of(store, task, z -> StitchedPlanes.modelKey(task, m.modelId(), z));
                AssemblyIo.run(() -> writeTiff(key, planes, true), tiffs);
                results.put("models/" + m.modelId() + "/probabilities.tif", key);
            }
            if (store.size(StitchedPlanes.uncertaintyKey(task, m.modelId(), 0)).isPresent()) {
                String key = task.resultsPrefix() + "models/" + m.modelId() + "/uncertainty.tif";
                StitchedPlanes planes = StitchedPlanes.of(store, task, z -> StitchedPlanes.uncertaintyKey(task, m.modelId(), z));
                AssemblyIo.run(() -> writeTiff(key, planes, true), tiffs);
                results.put("models/" + m.modelId() + "/uncertainty.tif", key);
            }
        }
        try {
            results.put("probabilities.ome.zarr", writeZarrMetadata(task, structures.keySet()));
        } catch (RuntimeException e) {
            // no TIFF may finish after the caller has cleaned up the failed job's results
            tiffs.forEach(f -> f.handle((ok, failed) -> null).join());
            throw e;
        }
        AssemblyIo.joinAll(tiffs);

        results.put("thumbnail.png", thumbnailKey(task));
        for (int z = 0; z < task.depth(); z++) {
            results.put("overlay/" + z + ".png", overlayKey(task, z));
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("jobId", task.jobId());
        run.put("models", task.modelVersions());
        run.put("structures", modelsByStructure);
        run.put("threshold", task.threshold());
        run.put("width", task.width());
        run.put("height", task.height());
        run.put("depth", task.depth());
        String runKey = task.resultsPrefix() + "run.json";
        store.put(runKey, EventJson.toBytes(run), "application/json");
        results.put("run.json", runKey);
        return results;
    }

    static String zarrPrefix(AssembleTask task) {
        return task.resultsPrefix() + "probabilities.ome.zarr/";
    }

    /** Float32 chunks one plane deep, so each slice's chunks are written by its slice assembly; uncompressed, as the TIFFs. */
    static OmeZarr.Options zarrOptions(String structure) {
        return OmeZarr.Options.float32(structure).withChunks(1, 256).withCompressor(null);
    }

    /**
     * The probabilities of every structure as one OME-Zarr (NGFF 0.4, a multiscale image per structure): the slice
     * assemblies wrote the chunks, this writes the metadata that makes them an image.
     */
    private String writeZarrMetadata(AssembleTask task, Set<String> structures) {
        String zarr = zarrPrefix(task);
        store.put(zarr + ".zgroup", "{\"zarr_format\": 2}".getBytes(StandardCharsets.UTF_8), "application/json");
        try {
            for (String name : structures) {
                OmeZarr.writeImageMetadata(task.width(), task.height(), task.depth(), VoxelSize.unknown(),
                        (k, bytes) -> store.put(zarr + name + "/" + k, bytes, "application/json"), zarrOptions(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zarr;
    }

    /**
     * Streams a multi-page TIFF into the store (a multipart upload for big stacks); float32 uncompressed, since
     * Deflate on sigmoid floats saves little and was the largest part of an assembly. Nothing is left on failure.
     */
    private void writeTiff(String key, Volume v, boolean float32) {
        long t0 = System.nanoTime();
        long bytes = v.sampleCount() * (float32 ? 4 : 1);
        if (bytes <= singlePutBytes) {
            // a preview's stack: one request (a multipart upload costs several round trips and a server-side concatenation)
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) bytes + 65536);
            try {
                if (float32) {
                    TiffWriter.writeFloat32(v, out, TiffWriter.Compression.NONE);
                } else {
                    TiffWriter.writeUint8(v, out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store.put(key, out.toByteArray(), "image/tiff");
            log.debug("{} written in {} ms", key, (System.nanoTime() - t0) / 1_000_000);
            return;
        }
        ObjectStore.ObjectWriter writer = store.writer(key, "image/tiff");
        try (OutputStream out = new BufferedOutputStream(new WriterStream(writer), 1 << 20)) {
            if (float32) {
                TiffWriter.writeFloat32(v, out, TiffWriter.Compression.NONE);
            } else {
                TiffWriter.writeUint8(v, out);
            }
        } catch (IOException e) {
            writer.abort();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        writer.finish();
        log.debug("{} streamed in {} ms", key, (System.nanoTime() - t0) / 1_000_000);
    }

    /** An {@link ObjectStore.ObjectWriter} as an output stream; closing it does not finish the object. */
    private static final class WriterStream extends OutputStream {
        private final ObjectStore.ObjectWriter writer;

        WriterStream(ObjectStore.ObjectWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(b, off, len);
        }
    }
}
