package org.zooscope.core.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Where a job's pixels come from: an upload (by id) for a preview, or some of its slices ({@code roi} spanning the
 * plane, its {@code z} and {@code depth} choosing the slices); a hosted dataset's region ({@code datasetId} and
 * {@code roi}) for a region preview; a whole hosted dataset ({@code datasetId}, no {@code roi}) for a full run.
 */
public record JobInput(String uploadId, String datasetId, Region roi) {

    public JobInput(String uploadId, String datasetId) {
        this(uploadId, datasetId, null);
    }

    @JsonIgnore // derived: not a field of the events that carry an input
    public boolean isDataset() {
        return datasetId != null;
    }

    /** Whether it runs on some slices of an upload, not all. */
    @JsonIgnore
    public boolean isUploadSlices() {
        return datasetId == null && roi != null;
    }

    /** The shape of the job's result over {@code upload}: the slices its {@code roi} chooses, else all of them. */
    public UploadedVolume resultShape(UploadedVolume upload) {
        return isUploadSlices() ? upload.slices(roi.z(), roi.depth()) : upload;
    }

    /** The whole dataset: its result becomes a layer of the dataset. */
    @JsonIgnore
    public boolean isFullRun() {
        return datasetId != null && roi == null;
    }
}
