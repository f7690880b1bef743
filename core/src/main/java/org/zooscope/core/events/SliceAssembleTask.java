package org.zooscope.core.events;

/**
 * Stitch slice {@code z} of a job (every model's tiles, each structure's ensemble) and render its overlay, as soon as
 * that slice's tiles are done, so most of a job's assembly overlaps its inference. On the slice-assemble topic, keyed
 * by {@code jobId/z} so that the slices of one job spread over partitions.
 *
 * @param inputKey the slice's model-ready input plane, shown under its overlay
 */
public record SliceAssembleTask(AssembleTask job, int z, String inputKey) {

    public String partitionKey() {
        return job.jobId() + "/" + z;
    }
}
