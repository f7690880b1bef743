package org.zooscope.gateway.recommend;

import org.zooscope.gateway.job.JobRequest;

/**
 * The body of {@code POST /api/v1/recommendations}: the input as for a job (an upload, or a dataset's region), and
 * optionally the structure wanted ({@code mitochondria}, {@code membranes}, … as the models' {@code component}) and
 * whether to enhance the input first (off by default: the scores were validated without enhancement).
 */
public record RecommendationRequest(JobRequest.Input input, String structure, Boolean enhance) {
}
