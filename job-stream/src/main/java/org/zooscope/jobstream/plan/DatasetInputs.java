package org.zooscope.jobstream.plan;

import java.util.List;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetStats;
import org.zooscope.core.events.InputWindow;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.volume.VoxelSize;

/**
 * A job over a hosted dataset, planned like an upload: its result has the region's shape ({@link #regionVolume}), its
 * input is the box of the dataset around the region with the context its models need ({@link #window}), and its
 * normalisation uses the dataset's whole-volume statistics ({@link #statistics}). Pure.
 */
public final class DatasetInputs {

    private DatasetInputs() {
    }

    public static Region region(JobInput input, DatasetCard card) {
        return org.zooscope.core.dataset.DatasetInputRegions.of(input, card);
    }

    /**
     * The shape of the job's result, as the rest of the pipeline knows inputs.
     *
     * @throws IllegalArgumentException when the region is not inside the dataset (the message says why)
     */
    public static UploadedVolume regionVolume(JobRequested r, DatasetCard card, DatasetStats stats) {
        Region roi = region(r.input(), card);
        String problem = roi.problemWithin(card.width(), card.height(), card.depth());
        if (problem != null) {
            throw new IllegalArgumentException(problem + " of dataset " + card.id());
        }
        VoxelSize vs = card.voxelSize();
        boolean known = vs != null && vs.isKnown();
        return new UploadedVolume(null, r.ownerHash(), roi.width(), roi.height(), roi.depth(), card.dtype(),
                stats.raw().min(), stats.raw().max(), known ? vs.x() : null, known ? vs.y() : null,
                known ? vs.z() : null, known ? vs.unit() : null, List.of(), List.of(), 0, card.createdAt());
    }

    /** The box the job reads: the region with the largest halo of its models in x and y and their z-frames in z. */
    public static InputWindow window(JobInput input, DatasetCard card, List<ModelPlan> plans) {
        int halo = plans.stream().mapToInt(p -> p.layout().halo()).max().orElse(0);
        int zContext = plans.stream().mapToInt(p -> p.frames() / 2).max().orElse(0);
        return InputWindow.around(card.id(), region(input, card), halo, zContext, card.width(), card.height(),
                card.depth(), input.isFullRun());
    }

    /** What the models' normalisation is resolved with: the raw voxels', or the enhanced voxels' histogram. */
    public static SliceStats statistics(DatasetStats stats, boolean enhanced) {
        return enhanced && stats.enhanced() != null ? stats.enhanced() : stats.raw();
    }
}
