package org.zooscope.core.dataset;

import org.zooscope.core.enhance.EnhanceParameters;
import org.zooscope.core.events.SliceStats;

/**
 * A hosted dataset's whole-volume statistics, computed once at ingest, so that every region of it and its full run are
 * normalised and enhanced alike: the histogram of its raw voxels (every voxel), the enhancement parameters (medians
 * over windows of a sample of slices, see {@link DatasetWriter#ENHANCE_SIDE}), and the histogram of the enhanced voxels
 * of those windows (what a model's normalisation sees after enhancement).
 */
public record DatasetStats(SliceStats raw, EnhanceParameters enhancement, SliceStats enhanced, int sampledSlices) {
}
