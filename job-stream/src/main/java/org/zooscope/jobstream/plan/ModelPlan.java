package org.zooscope.jobstream.plan;

import java.util.List;
import org.zooscope.core.events.InputTransform;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.tiling.TileLayout;

/**
 * How one model of a job is run: its tile layout (from the model's declared input sizes), the structure it segments, and its preprocessing (declared
 * ops, resolved to {@link InputTransform} once the whole volume's statistics are known).
 *
 * @param tiles tiles per slice
 */
public record ModelPlan(String modelId, String version, String packageKey, String structure, int frames,
                        TileLayout layout, int tiles, int outputChannel, List<ModelDescription.Op> preprocessing,
                        InputTransform transform) {

    /**
     * The tiles of a region of a larger plane (a hosted dataset's): the same tiles as the larger plane's grid, those the
     * region needs (see {@link TileLayout#windowOver}).
     */
    public ModelPlan windowOver(int fullWidth, int fullHeight, org.zooscope.core.events.Region roi) {
        TileLayout windowed = layout.windowOver(fullWidth, fullHeight, roi.x(), roi.y(), roi.width(), roi.height());
        return new ModelPlan(modelId, version, packageKey, structure, frames, windowed,
                windowed.gridOver(roi.width(), roi.height()).tiles().size(), outputChannel, preprocessing, transform);
    }

    public ModelPlan withTransform(InputTransform t) {
        return new ModelPlan(modelId, version, packageKey, structure, frames, layout, tiles, outputChannel,
                preprocessing, t);
    }
}
