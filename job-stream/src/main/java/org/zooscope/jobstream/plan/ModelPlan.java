package org.zooscope.jobstream.plan;

import java.util.List;
import org.zooscope.core.events.InputTransform;
import org.zooscope.core.modelpkg.ModelDescription;

/**
 * How one model of a job is run: its tile grid parameters, the structure it segments, and its preprocessing (declared
 * ops, resolved to {@link InputTransform} once the whole volume's statistics are known).
 *
 * @param tiles tiles per slice
 */
public record ModelPlan(String modelId, String version, String packageKey, String structure, int frames, int halo,
                        int step, int tileSize, int tiles, int outputChannel, List<ModelDescription.Op> preprocessing,
                        InputTransform transform) {

    public ModelPlan withTransform(InputTransform t) {
        return new ModelPlan(modelId, version, packageKey, structure, frames, halo, step, tileSize, tiles, outputChannel,
                preprocessing, t);
    }
}
