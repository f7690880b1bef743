package org.zooscope.core.events;

/**
 * Where a job's pixels come from: an upload (by id) for a preview, or a hosted dataset: a region of it ({@code roi},
 * level-0 voxels), or with no {@code roi} the whole volume (a full run).
 */
public record JobInput(String uploadId, String datasetId, Region roi) {

    public JobInput(String uploadId, String datasetId) {
        this(uploadId, datasetId, null);
    }
}
