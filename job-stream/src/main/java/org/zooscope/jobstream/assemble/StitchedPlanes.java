package org.zooscope.jobstream.assemble;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.InputWindow;
import org.zooscope.jobstream.plan.Planner;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Views;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * The stitched per-slice planes a slice assembly leaves for the final one (each model's and its variance when
 * several models or augmentation ran, float32, one object per slice; each structure's ensemble as its OME-Zarr's
 * chunks), and a {@link Volume} that reads them from the store as the stack writers ask for them, so the final assembly of a deep
 * volume holds a few planes in memory, not the volume.
 */
final class StitchedPlanes {
    /**
     * Bytes of decoded planes kept per stack, so that the readers of one stack working side by side (the probabilities
     * and segmentation TIFFs and the measurements) fetch each plane once; a reader that falls further behind fetches
     * again. A preview's few slices fit whole (8 planes of 1000 x 1000); kept to a few planes for large slices
     * because several stacks are written at once.
     */
    private static final long CACHED_BYTES = 32L << 20;

    private StitchedPlanes() {
    }

    static String modelPlaneKey(AssembleTask t, String modelId, int z) {
        return t.stitchedPrefix() + "models/" + modelId + "/" + z + ".f32";
    }

    static String uncertaintyKey(AssembleTask t, String modelId, int z) {
        return t.stitchedPrefix() + "uncertainty/" + modelId + "/" + z + ".f32";
    }

    /**
     * The job's model-ready input under its result, slice {@code z}: for a job over a dataset the region cut out of its
     * box slice ({@code input} holds the box's {@code boxWidth × boxHeight} voxels), else {@code input} itself.
     */
    static float[] regionOfInput(AssembleTask t, float[] input) {
        InputWindow win = t.window();
        if (win == null) {
            return input;
        }
        float[] out = new float[t.width() * t.height()];
        for (int y = 0; y < t.height(); y++) {
            System.arraycopy(input, (y + win.offsetY()) * win.boxWidth() + win.offsetX(), out, y * t.width(), t.width());
        }
        return out;
    }

    /** Samples in one of the job's input planes: the dataset box's, or the result's shape. */
    static int inputSamples(AssembleTask t) {
        return t.window() == null ? t.width() * t.height() : t.window().boxWidth() * t.window().boxHeight();
    }

    /** The job's enhanced input as a stack of the result's shape (for a dataset region: cut from its box slices). */
    static Volume enhancedInput(ObjectStore store, AssembleTask t) {
        InputWindow win = t.window();
        return Views.ofPlanes(t.width(), t.height(), t.depth(), DataType.FLOAT32, VoxelSize.unknown(),
                z -> regionOfInput(t, PlaneCodec.decode(store.get(
                        StorageKeys.Jobs.enhancedInput(t.jobId(), win == null ? z : win.boxSlice(z))), inputSamples(t))));
    }

    /** The task's stack whose plane z is stored under {@code keyOf.apply(z)}, read on demand. */
    static Volume of(ObjectStore store, AssembleTask t, IntFunction<String> keyOf) {
        int samples = t.width() * t.height();
        return cached(t, z -> PlaneCodec.decode(store.get(keyOf.apply(z)), samples));
    }

    /**
     * A structure's ensemble: the planes this process's slice assemblies kept ({@link RecentEnsembles}), else read
     * from the level-0 chunks of its OME-Zarr that the slice assemblies wrote (the ensemble is stored once, as the
     * result's Zarr, not also as a plane per slice for this stage).
     */
    static Volume structure(ObjectStore store, RecentEnsembles recent, AssembleTask t, String structure) {
        String prefix = Assembler.zarrImagePrefix(t, structure);
        org.zooscope.core.zarr.OmeZarr.Options options = Assembler.zarrOptions(t, structure);
        org.zooscope.core.zarr.ObjectSource chunks = k -> {
            try {
                return java.util.Optional.of(store.get(prefix + k));
            } catch (ObjectStore.NoSuchObjectException e) {
                return java.util.Optional.empty();
            }
        };
        return cached(t, z -> recent.get(t.jobId(), structure, z).orElseGet(() -> {
            try {
                return org.zooscope.core.zarr.OmeZarr.readImageSlice(chunks, t.width(), t.height(), t.depth(), z, options);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    /** A stack of the task's shape whose planes {@code read} gives, the last few kept ({@link #CACHED_BYTES}). */
    private static Volume cached(AssembleTask t, IntFunction<float[]> read) {
        int samples = t.width() * t.height();
        long cached = Math.max(2, CACHED_BYTES / (4L * samples));
        // a plane being read is in the cache as its future: readers working side by side wait for that one read
        // rather than each fetching the plane themselves
        Map<Integer, java.util.concurrent.CompletableFuture<float[]>> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, java.util.concurrent.CompletableFuture<float[]>> eldest) {
                return size() > cached;
            }
        };
        IntFunction<float[]> plane = z -> {
            java.util.concurrent.CompletableFuture<float[]> mine = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.CompletableFuture<float[]> known;
            synchronized (cache) {
                known = cache.putIfAbsent(z, mine);
            }
            if (known != null) {
                return known.join();
            }
            try {
                float[] p = read.apply(z);
                mine.complete(p);
                return p;
            } catch (RuntimeException e) {
                synchronized (cache) {
                    cache.remove(z, mine); // a failed read is not kept: a later reader tries again
                }
                mine.completeExceptionally(e);
                throw e;
            }
        };
        return Views.ofPlanes(t.width(), t.height(), t.depth(), DataType.FLOAT32, VoxelSize.unknown(), plane);
    }
}
