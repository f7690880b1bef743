package org.zooscope.jobstream.plan;

import java.util.List;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.process.Processing;
import org.zooscope.core.process.SampleStatistics;
import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.tiling.TileLayout;

/**
 * How one model of a job is run: its tile layout (from the model's declared input sizes), the structure it segments, and its declared
 * preprocessing with the whole input's statistics it needs, once they are known ({@code inputStatistics}, null before).
 *
 * @param tiles tiles per slice
 */
public record ModelPlan(String modelId, String version, String packageKey, String structure, int frames,
                        TileLayout layout, int tiles, int outputChannel, List<ModelDescription.Op> preprocessing,
                        VolumeStatistics inputStatistics) {

    /**
     * The tiles of a region of a larger plane (a hosted dataset's): the same tiles as the larger plane's grid, those the
     * region needs (see {@link TileLayout#windowOver}).
     */
    public ModelPlan windowOver(int fullWidth, int fullHeight, org.zooscope.core.events.Region roi) {
        TileLayout windowed = layout.windowOver(fullWidth, fullHeight, roi.x(), roi.y(), roi.width(), roi.height());
        return new ModelPlan(modelId, version, packageKey, structure, frames, windowed,
                windowed.gridOver(roi.width(), roi.height()).tiles().size(), outputChannel, preprocessing, inputStatistics);
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
                preprocessing, s);
    }
}
