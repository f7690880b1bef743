package org.zooscope.jobstream.plan;

import java.util.List;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetInputRegions;
import org.zooscope.core.dataset.DatasetStats;
import org.zooscope.core.events.InputWindow;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.TileLayout;

/**
 * A job over a hosted dataset, planned like an upload: its result has the region's shape ({@link #regionVolume}), its
 * input is the box of the dataset around the region with the context its models need ({@link #window}), and its
 * normalisation uses the dataset's whole-volume statistics ({@link #statistics}). Pure.
 */
public final class DatasetInputs {

    private DatasetInputs() {
    }

    /**
     * The shape of the job's result, as the rest of the pipeline knows inputs.
     *
     * @throws IllegalArgumentException when the region is not inside the dataset (the message says why)
     */
    public static UploadedVolume regionVolume(JobRequested r, DatasetCard card, DatasetStats stats) {
        Region roi = DatasetInputRegions.of(r.input(), card);
        String problem = roi.problemWithin(card.width(), card.height(), card.depth());
        if (problem != null) {
            throw new IllegalArgumentException(problem + " of dataset " + card.id());
        }
        return DatasetInputRegions.shape(r, card, roi, stats.raw().min(), stats.raw().max());
    }

    /**
     * The box the job reads: every voxel its models' tiles take as input (core, halo and padding, in dataset
     * coordinates), and the z-frames around the region's slices, clamped to the volume.
     */
    public static InputWindow window(JobInput input, DatasetCard card, List<ModelPlan> plans) {
        Region roi = DatasetInputRegions.of(input, card);
        int x0 = roi.x();
        int y0 = roi.y();
        int x1 = roi.x() + roi.width();
        int y1 = roi.y() + roi.height();
        for (ModelPlan p : plans) {
            TileLayout.Window w = p.layout().window();
            int ox = w == null ? roi.x() : w.originX();
            int oy = w == null ? roi.y() : w.originY();
            TileGrid grid = p.layout().gridOver(roi.width(), roi.height());
            for (Tile t : grid.tiles()) {
                x0 = Math.min(x0, ox + t.x() - grid.halo());
                y0 = Math.min(y0, oy + t.y() - grid.halo());
                x1 = Math.max(x1, ox + t.x() - grid.halo() + grid.paddedWidth(t));
                y1 = Math.max(y1, oy + t.y() - grid.halo() + grid.paddedHeight(t));
            }
        }
        int zContext = Planner.zContext(plans);
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        x1 = Math.min(card.width(), x1);
        y1 = Math.min(card.height(), y1);
        int z0 = Math.max(0, roi.z() - zContext);
        int z1 = Math.min(card.depth(), roi.z() + roi.depth() + zContext);
        return new InputWindow(card.id(), x0, y0, z0, x1 - x0, y1 - y0, z1 - z0, roi.x(), roi.y(), roi.z(),
                input.isFullRun());
    }

    /** What the models' normalisation is resolved with: the raw voxels', or the enhanced voxels' histogram. */
    public static SliceStats statistics(DatasetStats stats, boolean enhanced) {
        return enhanced && stats.enhanced() != null ? stats.enhanced() : stats.raw();
    }
}
