package org.zooscope.jobstream.assemble;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.zooscope.core.events.AssembleTask;

/**
 * The job's {@code run.json}: what made the result (models and versions, per structure), with which settings, on
 * which input, how long each stage took, and what was measured — so a result can be reproduced and cited.
 */
final class RunRecord {
    private RunRecord() {
    }

    static Map<String, Object> of(AssembleTask task, Map<String, List<String>> modelsByStructure,
                                  Map<String, Map<String, Object>> measurements, Instant writtenAt) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("jobId", task.jobId());
        run.put("models", task.modelVersions());
        run.put("structures", modelsByStructure);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("threshold", task.threshold());
        if (task.settings() != null) {
            settings.put("enhance", task.settings().enhance());
            settings.put("augmentation", task.settings().augmentation().wire());
        }
        run.put("settings", settings);
        run.put("threshold", task.threshold());
        run.put("width", task.width());
        run.put("height", task.height());
        run.put("depth", task.depth());
        run.put("voxelSize", task.voxelSize());
        Map<String, Object> ordered = new LinkedHashMap<>();
        modelsByStructure.keySet().forEach(s -> {
            if (measurements.containsKey(s)) {
                ordered.put(s, measurements.get(s));
            }
        });
        run.put("measurements", ordered);
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("submittedAt", task.submittedAt());
        timings.put("inferenceStartedAt", task.inferenceStartedAt());
        timings.put("resultsWrittenAt", writtenAt);
        if (task.submittedAt() != null && task.inferenceStartedAt() != null) {
            timings.put("secondsBeforeInference", seconds(task.submittedAt(), task.inferenceStartedAt()));
            timings.put("secondsInferenceAndAssembly", seconds(task.inferenceStartedAt(), writtenAt));
        }
        if (task.submittedAt() != null) {
            timings.put("secondsTotal", seconds(task.submittedAt(), writtenAt));
        }
        run.put("timings", timings);
        return run;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
