package org.zooscope.jobstream.plan;

import java.util.List;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.process.Processing;
import org.zooscope.core.process.SampleStatistics;
import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.rescale.PlaneSize;
import org.zooscope.core.rescale.Rescale;
import org.zooscope.core.tiling.TileLayout;

/**
 * How one model of a job is run: its tile layout (from the model's declared input sizes), the structure it segments, and its declared
 * preprocessing with the whole input's statistics it needs, once they are known ({@code inputStatistics}, null before).
 *
 * @param tiles tiles per slice
 * @param rescale whether the model runs on the input resampled to its pixel size, with the note saying so (or why
 *                not); none in plans stored before it was carried
 * @param plane   the resampled plane its tiles cover, null when it runs on the input's own grid
 */
public record ModelPlan(String modelId, String version, String packageKey, String structure, int frames,
                        TileLayout layout, int tiles, int outputChannel, List<ModelDescription.Op> preprocessing,
                        VolumeStatistics inputStatistics, Rescale rescale, PlaneSize plane) {

    public ModelPlan {
        rescale = rescale == null ? Rescale.none() : rescale;
    }

    /** Run with {@code rescale}: on {@code plane} when it resamples (this plan's tiles must be planned over it). */
    public ModelPlan rescaled(Rescale r, PlaneSize resampledPlane) {
        return new ModelPlan(modelId, version, packageKey, structure, frames, layout, tiles, outputChannel,
                preprocessing, inputStatistics, r, r.resamples() ? resampledPlane : null);
    }

    /**
     * The tiles of a region of a larger plane (a hosted dataset's): the same tiles as the larger plane's grid, those the
     * region needs (see {@link TileLayout#windowOver}).
     */
    public ModelPlan windowOver(int fullWidth, int fullHeight, org.zooscope.core.events.Region roi) {
        TileLayout windowed = layout.windowOver(fullWidth, fullHeight, roi.x(), roi.y(), roi.width(), roi.height());
        return new ModelPlan(modelId, version, packageKey, structure, frames, windowed,
                windowed.gridOver(roi.width(), roi.height()).tiles().size(), outputChannel, preprocessing, inputStatistics,
                rescale, plane);
    }

    /**
     * With the whole input's statistics, as the model's preprocessing needs them.
     *
     * @throws org.zooscope.core.process.ProcessingSpecException when the ops cannot be resolved with them
     */
    public ModelPlan withInputStatistics(SampleStatistics whole) {
        Processing pre = Processing.fromDescription(preprocessing);
        VolumeStatistics s = pre.snapshot(whole);
        pre.resolve(s);
        return new ModelPlan(modelId, version, packageKey, structure, frames, layout, tiles, outputChannel,
                preprocessing, s, rescale, plane);
    }
}
