package org.zooscope.core.dataset;

import java.util.List;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.volume.VoxelSize;

/** The region of a dataset a job covers, and its shape as the rest of the pipeline knows inputs. */
public final class DatasetInputRegions {

    private DatasetInputRegions() {
    }

    /** The job's {@code roi}, or for a full run the whole volume. */
    public static Region of(JobInput input, DatasetCard card) {
        return input.roi() != null ? input.roi() : new Region(0, 0, 0, card.width(), card.height(), card.depth());
    }

    /**
     * The region's shape as an upload's (no planes of its own: they are read from the dataset), with the value range
     * {@code min..max}.
     */
    public static UploadedVolume shape(JobRequested r, DatasetCard card, Region roi, double min, double max) {
        VoxelSize vs = card.voxelSize();
        boolean known = vs != null && vs.isKnown();
        return new UploadedVolume(null, r.ownerHash(), roi.width(), roi.height(), roi.depth(), card.dtype(), min, max,
                known ? vs.x() : null, known ? vs.y() : null, known ? vs.z() : null, known ? vs.unit() : null,
                List.of(), List.of(), 0, card.createdAt());
    }
}
