package org.zooscope.core.dataset;

import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.Region;

/** The region of a dataset a job covers: its {@code roi}, or for a full run the whole volume. */
public final class DatasetInputRegions {

    private DatasetInputRegions() {
    }

    public static Region of(JobInput input, DatasetCard card) {
        return input.roi() != null ? input.roi() : new Region(0, 0, 0, card.width(), card.height(), card.depth());
    }
}
