package org.zooscope.jobstream.plan;

import java.util.List;
import java.util.Map;
import org.zooscope.core.events.InputTransform;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.jobstream.config.PlanSettings;

/**
 * Chooses each model's tile grid: the configured core tile size (smaller for a small image), the model's halo (at
 * least {@link #MIN_HALO} pixels of real context, so tiles stitch without seams), and the model's size step. Pure.
 */
public final class Planner {
    /** Context added around every tile even when a model declares no halo. */
    public static final int MIN_HALO = 16;

    private Planner() {
    }

    public static ModelPlan plan(String packageKey, ModelDescription d, UploadedVolume volume, PlanSettings settings) {
        int halo = Math.max(MIN_HALO, d.halo());
        int step = Math.max(1, d.step());
        int tileSize = Math.min(settings.tileSize(), Math.max(volume.width(), volume.height()));
        TileGrid grid = TileGrid.cover(volume.width(), volume.height(), tileSize, halo, step);
        Map<String, Object> z = d.zooscope();
        String structure = String.valueOf(z.getOrDefault("structure", z.getOrDefault("component", d.id())));
        int outputChannel = z.get("outputChannel") instanceof Number n ? n.intValue() : 0;
        return new ModelPlan(d.id(), d.version(), packageKey, structure, d.frames(), halo, step, tileSize,
                grid.tiles().size(), outputChannel, d.preprocessing(), InputTransform.IDENTITY);
    }

    /**
     * Input planes (z-frames) for slice {@code z}: real neighbours, mirrored only at the ends of the volume;
     * {@code keyOf} gives a slice's model-ready plane.
     */
    public static List<String> inputKeys(java.util.function.IntFunction<String> keyOf, int z, int depth, int frames) {
        return java.util.Arrays.stream(org.zooscope.core.tiling.ZContext.frames(z, depth, frames))
                .mapToObj(keyOf).toList();
    }

    /**
     * Where an enhanced slice is written. Without enhancement the model-ready plane is the upload's own plane (the
     * normalisation is applied by the worker), so nothing is copied.
     */
    public static String enhancedInputKey(String jobId, int z) {
        return "jobs/" + jobId + "/input/" + z + ".f32";
    }

    public static String tileKey(String jobId, String modelId, int z, int tileIndex) {
        return "jobs/" + jobId + "/tiles/" + modelId + "/" + z + "/" + tileIndex + ".f32";
    }

    /**
     * A job's intermediate objects (tiles, stitched planes, enhanced input): kept while the job may still need them
     * and for its retention after it ends (to look into a finished job), then deleted with its record.
     */
    public static List<String> scratchPrefixes(String jobId) {
        return List.of("jobs/" + jobId + "/tiles/", stitchedPrefix(jobId), "jobs/" + jobId + "/input/");
    }

    /** Stitched per-slice planes, written by the slice assembly and read by the final one. */
    public static String stitchedPrefix(String jobId) {
        return "jobs/" + jobId + "/stitched/";
    }

    public static String resultsPrefix(String jobId) {
        return "jobs/" + jobId + "/results/";
    }

    public static String cancelMarker(String jobId) {
        return org.zooscope.core.events.JobCancelRequested.markerKey(jobId);
    }
}
