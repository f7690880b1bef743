package org.zooscope.jobstream.assemble;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetLayer;
import org.zooscope.core.dataset.DatasetWriter;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.measure.MeasuredObject;
import org.zooscope.core.measure.MeasurementsCsv;
import org.zooscope.core.measure.ObjectMeasurer;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Views;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.zarr.OmeZarr;
import org.zooscope.jobstream.plan.Planner;

/**
 * The last step of a job, once every slice is assembled ({@link SliceAssembler}): writes the stacks from the stitched
 * slices — each structure's float32 probabilities and the first structure's 8-bit segmentation as multi-page TIFFs,
 * per-model maps and uncertainty maps when there are several models or augmentation, the metadata of the OME-Zarr
 * whose chunks the slice assemblies wrote, and a JSON run record — and names every result. Planes are read from the store as the writers ask for them and the TIFFs stream to the store, so memory
 * holds a few planes and a part, not the volume. Keys are deterministic, so assembling twice is harmless.
 */
public final class Assembler {
    private final ObjectStore store;
    private final RecentEnsembles recent;

    public Assembler(ObjectStore store, RecentEnsembles recent) {
        this.store = store;
        this.recent = recent;
    }

    static String thumbnailKey(AssembleTask task) {
        return task.resultsPrefix() + "thumbnail.png";
    }

    /** Returns result name → S3 key. */
    public Map<String, String> assemble(AssembleTask task) {
        try {
            return assembleStacks(task);
        } finally {
            recent.forget(task.jobId());
        }
    }

    private Map<String, String> assembleStacks(AssembleTask task) {
        Map<String, List<String>> modelsByStructure = new LinkedHashMap<>();
        for (AssembleTask.ModelTiles m : task.models()) {
            modelsByStructure.computeIfAbsent(m.structure(), k -> new ArrayList<>()).add(m.modelId());
        }
        Map<String, Volume> structures = new LinkedHashMap<>();
        modelsByStructure.keySet().forEach(s -> structures.put(s, StitchedPlanes.structure(store, recent, task, s)));
        if (task.isFullRun()) {
            return assembleLayer(task, modelsByStructure, structures);
        }

        // the TIFFs are written side by side on the I/O threads (the segmentation reads the probabilities' cached planes)
        Map<String, String> results = new LinkedHashMap<>();
        List<CompletableFuture<?>> tiffs = new ArrayList<>();
        java.util.function.BiConsumer<String, Volume> tiff = (name, volume) -> {
            String key = task.resultsPrefix() + name;
            AssemblyIo.run(() -> writeTiff(key, volume), tiffs);
            results.put(name, key);
        };
        String first = structures.keySet().iterator().next();
        structures.forEach((structure, planes) -> {
            tiff.accept(structure + "/probabilities.tif", planes);
            if (structure.equals(first)) {
                // the main map is the first structure's: one object under both names, written once
                results.put("probabilities.tif", results.get(structure + "/probabilities.tif"));
                tiff.accept("segmentation.tif", Views.thresholded(planes, task.threshold()));
            }
        });
        for (AssembleTask.ModelTiles m : task.models()) {
            if (task.models().size() > 1) {
                tiff.accept(org.zooscope.core.store.StorageKeys.Jobs.modelResult(m.modelId(), "probabilities.tif"),
                        StitchedPlanes.of(store, task, z -> StitchedPlanes.modelPlaneKey(task, m.modelId(), z)));
            }
            if (task.uncertainty()) {
                tiff.accept(org.zooscope.core.store.StorageKeys.Jobs.modelResult(m.modelId(), "uncertainty.tif"),
                        StitchedPlanes.of(store, task, z -> StitchedPlanes.uncertaintyKey(task, m.modelId(), z)));
            }
        }
        if (task.settings() != null && task.settings().enhance()) {
            tiff.accept("enhanced-input.tif", StitchedPlanes.enhancedInput(store, task));
        }
        Map<String, Map<String, Object>> measured = new java.util.concurrent.ConcurrentHashMap<>();
        structures.forEach((structure, planes) -> {
            String name = structure + "/measurements.csv";
            results.put(name, task.resultsPrefix() + name);
            AssemblyIo.run(() -> measured.put(structure, measure(task, structure, planes)), tiffs);
        });
        try {
            results.put("probabilities.ome.zarr", writeZarrMetadata(task, structures.keySet()));
        } catch (RuntimeException e) {
            // no TIFF may finish after the caller has cleaned up the failed job's results
            tiffs.forEach(f -> f.handle((ok, failed) -> null).join());
            throw e;
        }
        AssemblyIo.joinAll(tiffs);

        // no overlay/{z}.png: the gateway renders a slice's overlay when it is asked for (most never are)
        results.put("thumbnail.png", thumbnailKey(task));
        String runKey = task.resultsPrefix() + "run.json";
        store.put(runKey, EventJson.toBytes(RunRecord.of(task, modelsByStructure, measured, Instant.now())),
                "application/json");
        results.put("run.json", runKey);
        return results;
    }

    /** Where the probabilities' OME-Zarr goes: in the results, or for a full run in the dataset's layer. */
    static String zarrPrefix(AssembleTask task) {
        return task.isFullRun() ? DatasetKeys.layerZarr(task.window().datasetId(), task.jobId())
                : task.resultsPrefix() + "probabilities.ome.zarr/";
    }

    static String zarrImagePrefix(AssembleTask task, String structure) {
        return zarrPrefix(task) + structure + "/";
    }

    /** A full run's segmentation of one structure (8-bit, 255 = at or above the threshold), beside its probabilities. */
    static String segmentationImagePrefix(AssembleTask task, String structure) {
        return DatasetKeys.layerSegmentation(task.window().datasetId(), task.jobId(), structure) + "/";
    }

    static OmeZarr.Options segmentationOptions(AssembleTask task, String structure) {
        return OmeZarr.Options.uint8(structure + " segmentation").withChunks(1, DatasetWriter.CHUNK_XY)
                .withMaxLevels(DatasetWriter.MAX_LEVELS);
    }

    /** A preview's chunk edge: a 1000² slice is 4 chunks and a pyramid of 2 levels (21 chunks and 3 levels at 256). */
    static final int PREVIEW_CHUNK_XY = 512;

    /**
     * Float32 chunks one plane deep, so each slice's chunks are written by its slice assembly; uncompressed, as the
     * TIFFs. A layer has its dataset's chunks and as many levels (the viewer draws both from one tile grid). A preview's
     * result is read whole (downloads, napari), so its chunks are larger: each chunk is an S3 object, and a stored
     * object costs the S3 server about a millisecond of CPU whatever its size.
     */
    static OmeZarr.Options zarrOptions(AssembleTask task, String structure) {
        OmeZarr.Options o = OmeZarr.Options.float32(structure).withCompressor(null);
        return task.isFullRun() ? o.withChunks(1, DatasetWriter.CHUNK_XY).withMaxLevels(DatasetWriter.MAX_LEVELS)
                : o.withChunks(1, PREVIEW_CHUNK_XY);
    }

    /**
     * The probabilities of every structure as one OME-Zarr (NGFF 0.4, a multiscale image per structure): the slice
     * assemblies wrote the chunks, this writes the metadata that makes them an image.
     */
    private String writeZarrMetadata(AssembleTask task, Set<String> structures) {
        String zarr = zarrPrefix(task);
        store.put(zarr + ".zgroup", "{\"zarr_format\": 2}".getBytes(StandardCharsets.UTF_8), "application/json");
        // NGFF 0.4 has no collection of images; the root's attributes name them so a reader can find each one
        store.put(zarr + ".zattrs", EventJson.toBytes(Map.of("zooscope", Map.of("images", List.copyOf(structures),
                "note", "one OME-NGFF 0.4 multiscale image per structure: open <this>/<structure>"))), "application/json");
        try {
            for (String name : structures) {
                OmeZarr.writeImageMetadata(task.width(), task.height(), task.depth(), task.voxelSize(),
                        (k, bytes) -> store.put(zarr + name + "/" + k, bytes, "application/json"), zarrOptions(task, name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zarr;
    }

    /**
     * A full run's result: the metadata that makes the slice assemblies' chunks each structure's OME-Zarr pyramid in
     * the dataset's layer, the objects measured, the run record, and the layer record last (a layer is listed only
     * once it is complete). No whole-volume TIFFs or overlays: the volume is browsed through the pyramid.
     */
    private Map<String, String> assembleLayer(AssembleTask task, Map<String, List<String>> modelsByStructure,
                                              Map<String, Volume> structures) {
        String datasetId = task.window().datasetId();
        Map<String, String> results = new LinkedHashMap<>();
        Map<String, String> images = new LinkedHashMap<>();
        results.put("probabilities.ome.zarr", writeZarrMetadata(task, structures.keySet()));
        structures.keySet().forEach(s -> images.put(s, DatasetKeys.layerImage(datasetId, task.jobId(), s)));
        Map<String, String> segmentations = new LinkedHashMap<>();
        try {
            String root = DatasetKeys.layerSegmentationZarr(datasetId, task.jobId());
            store.put(root + ".zgroup", "{\"zarr_format\": 2}".getBytes(StandardCharsets.UTF_8), "application/json");
            for (String structure : structures.keySet()) {
                String image = segmentationImagePrefix(task, structure);
                OmeZarr.writeImageMetadata(task.width(), task.height(), task.depth(), task.voxelSize(),
                        (k, bytes) -> store.put(image + k, bytes, "application/json"), segmentationOptions(task, structure),
                        OmeZarr.Downsampling.NEAREST);
                segmentations.put(structure, DatasetKeys.layerSegmentation(datasetId, task.jobId(), structure));
            }
            results.put("segmentation.ome.zarr", root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, Object>> measured = new LinkedHashMap<>();
        structures.forEach((structure, planes) -> {
            measured.put(structure, measure(task, structure, planes));
            results.put(structure + "/measurements.csv", task.resultsPrefix() + structure + "/measurements.csv");
        });
        String runKey = task.resultsPrefix() + "run.json";
        store.put(runKey, EventJson.toBytes(RunRecord.of(task, modelsByStructure, measured, Instant.now())),
                "application/json");
        results.put("run.json", runKey);
        String layerKey = DatasetKeys.layerRecord(datasetId, task.jobId());
        store.put(layerKey, EventJson.toBytes(new DatasetLayer(task.jobId(), datasetId, List.copyOf(structures.keySet()),
                task.modelVersions(), task.threshold(), Instant.now(), images, segmentations)), "application/json");
        results.put("layer.json", layerKey);
        return results;
    }

    /**
     * The structure's objects (3D connected components of its thresholded map) as CSV, one plane at a time; returns
     * the summary that goes into the run record.
     */
    private Map<String, Object> measure(AssembleTask task, String structure, Volume planes) {
        ObjectMeasurer measurer = new ObjectMeasurer(task.width(), task.height(), task.threshold());
        float[] plane = new float[task.width() * task.height()];
        for (int z = 0; z < task.depth(); z++) {
            planes.copyPlane(z, plane);
            measurer.addPlane(plane);
        }
        List<MeasuredObject> objects = measurer.objects();
        ObjectStore.ObjectWriter writer = store.writer(task.resultsPrefix() + structure + "/measurements.csv", "text/csv");
        try (OutputStream out = new BufferedOutputStream(new WriterStream(writer), 1 << 16)) {
            MeasurementsCsv.write(objects, task.voxelSize(), out);
        } catch (IOException e) {
            writer.abort();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        writer.finish();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("objects", objects.size());
        summary.put("volumeFraction", measurer.volumeFraction());
        summary.put("foregroundVoxels", measurer.foregroundVoxels());
        return summary;
    }

    /**
     * Streams a multi-page TIFF into the store (S3: one PUT up to a part, a multipart upload above, so memory holds a
     * part, not the stack): 8-bit for 8-bit volumes (the segmentation), else float32 uncompressed, since Deflate on
     * sigmoid floats saves little and was the largest part of an assembly. Nothing is left on failure.
     */
    private void writeTiff(String key, Volume v) {
        ObjectStore.ObjectWriter writer = store.writer(key, "image/tiff");
        try (OutputStream out = new BufferedOutputStream(new WriterStream(writer), 1 << 20)) {
            if (v.dataType() == DataType.UINT8) {
                TiffWriter.writeUint8(v, out);
            } else {
                TiffWriter.writeFloat32(v, out, TiffWriter.Compression.NONE);
            }
        } catch (IOException e) {
            writer.abort();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        writer.finish();
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
