package org.zooscope.core.process;

/**
 * What a data-dependent processing step needs to know about the samples it normalises: exact statistics of a tensor
 * or volume ({@link VolumeStatistics}) or a job's mergeable whole-volume histogram
 * ({@link org.zooscope.core.events.SliceStats}).
 */
public interface SampleStatistics {

    long count();

    double min();

    double max();

    double mean();

    /** Population standard deviation (numpy {@code ddof=0}). */
    double std();

    /** The value at percentile {@code p} in [0, 100], numpy's linear definition (or the closest the source has). */
    double percentile(double p);
}
