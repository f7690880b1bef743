package org.zooscope.gateway.recommend;

import java.time.Instant;
import java.util.List;

/**
 * A recommendation as stored beside its job ({@code jobs/{jobId}/recommendation.json}): the models it compares and,
 * once the job is done, their scores best first. It lives and expires with the job.
 */
record Recommendation(String id, String jobId, String ownerHash, String structure, boolean enhance,
                      String augmentation, Instant submittedAt, List<Candidate> models, List<Excluded> excluded,
                      Sample sample, List<Item> items) {

    /**
     * The slices the models ran on: {@code count} from {@code first} (0-based within the input, or within the
     * region for a dataset) of the input's {@code of}; all of them when {@code count == of}.
     */
    record Sample(int first, int count, int of) {
        String describe() {
            return count == of ? "all " + of + " slices"
                    : "slices " + first + "–" + (first + count - 1) + " of " + of + ", the central ones";
        }
    }

    /** A model that runs: its structure and how many z-frames it takes (its augmentation variants follow). */
    record Candidate(String model, String structure, int frames) {
    }

    /** A zoo model that was left out, and why. */
    record Excluded(String model, String reason) {
    }

    /**
     * A model's label-free score (0..1, higher = more trustworthy here), what it was computed on, and the slice its
     * thumbnail shows (the middle one).
     */
    record Item(String model, String structure, double score, String basis, int slice) {
    }

    Recommendation withItems(List<Item> scored) {
        return new Recommendation(id, jobId, ownerHash, structure, enhance, augmentation, submittedAt, models, excluded,
                sample, scored);
    }

    static String idOf(String jobId) {
        return "r-" + jobId.substring("j-".length());
    }

    static String jobOf(String id) {
        return "j-" + id.substring("r-".length());
    }
}
