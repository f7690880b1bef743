package org.zooscope.jobstream.plan;

import java.util.List;
import java.util.Map;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.process.ModelProcessing;
import org.zooscope.core.rescale.PlaneSize;
import org.zooscope.core.rescale.Rescale;
import org.zooscope.core.modelpkg.ModelTiling;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.jobstream.config.PlanSettings;

/**
 * Chooses each model's tiles with {@link ModelTiling} (the rule the upload's test run uses too): the configured core
 * tile size (smaller for a small image or a fixed model input), the model's halo, and each tile's input padded up to a
 * size the model declares it accepts. Pure.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * @throws IllegalArgumentException when the model cannot run on the image: channels it does not have, or a halo that
     *                                  leaves nothing of a fixed input
     */
    public static ModelPlan plan(String packageKey, ModelDescription d, UploadedVolume volume, PlanSettings settings) {
        return plan(packageKey, d, volume, true, settings);
    }

    /**
     * The model's tiles over the upload, resampled to the model's pixel size first when {@link Rescale#decide} says so
     * (then the tiles cover the resampled plane); {@code rescale} is the job's setting.
     */
    public static ModelPlan plan(String packageKey, ModelDescription d, UploadedVolume volume, boolean rescale,
                                 PlanSettings settings) {
        Rescale r = Rescale.decide(volume.voxelSize(), d.trainedPixelSize(), rescale, d.id(), volume.width(),
                volume.height());
        PlaneSize plane = r.plane(volume.width(), volume.height());
        return plan(packageKey, d, plane.width(), plane.height(), settings).rescaled(r, plane);
    }

    /** The model's tiles over a {@code width × height} plane. */
    public static ModelPlan plan(String packageKey, ModelDescription d, int width, int height, PlanSettings settings) {
        if (!d.channelsAreFrames()) {
            throw new IllegalArgumentException("it takes " + d.frames() + " input channels (" + d.channelList()
                    + ") but the image has 1 channel");
        }
        // every op a worker would apply is parsed and checked here: a job fails at planning, naming the op
        ModelProcessing.of(d);
        TileLayout layout = ModelTiling.layout(d, width, height, settings.tileSize());
        TileGrid grid = layout.grid(width, height);
        Map<String, Object> z = d.zooscope();
        String structure = String.valueOf(z.getOrDefault("structure", z.getOrDefault("component", d.id())));
        int outputChannel = d.previewChannel();
        return new ModelPlan(d.id(), d.version(), packageKey, structure, d.frames(), layout, grid.tiles().size(),
                outputChannel, d.preprocessing(), null, Rescale.none(), null);
    }

    /** How many neighbouring slices on each side the job's models take as z-frames (a 5-frame model: 2). */
    public static int zContext(List<ModelPlan> plans) {
        return plans.stream().mapToInt(p -> p.frames() / 2).max().orElse(0);
    }

    /**
     * Input planes (z-frames) for slice {@code z}: real neighbours, mirrored only at the ends of the volume;
     * {@code keyOf} gives a slice's model-ready plane.
     */
    public static List<String> inputKeys(java.util.function.IntFunction<String> keyOf, int z, int depth, int frames) {
        return java.util.Arrays.stream(org.zooscope.core.tiling.ZContext.frames(z, depth, frames))
                .mapToObj(keyOf).toList();
    }
}
