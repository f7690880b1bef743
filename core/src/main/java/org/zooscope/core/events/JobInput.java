package org.zooscope.core.events;

/** Where a job's pixels come from: an upload (by id) for a preview. */
public record JobInput(String uploadId, String datasetId) {
}
