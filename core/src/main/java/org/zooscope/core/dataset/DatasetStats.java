package org.zooscope.core.dataset;

import org.zooscope.core.enhance.EnhanceParameters;
import org.zooscope.core.events.SliceStats;

/**
 * A hosted dataset's whole-volume statistics, computed once at ingest, so that every region of it and its full run are
 * normalised and enhanced alike: the histogram of its raw voxels, the enhancement parameters (medians over a sample of
 * slices), and the histogram of the enhanced voxels on that sample (what a model's normalisation sees after
 * enhancement).
 */
public record DatasetStats(SliceStats raw, EnhanceParameters enhancement, SliceStats enhanced, int sampledSlices) {
}
