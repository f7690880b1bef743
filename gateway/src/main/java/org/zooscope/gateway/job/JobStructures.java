package org.zooscope.gateway.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.render.StructureColours;
import org.zooscope.core.store.ObjectStore;

/**
 * The structures a finished job segmented, in the job's order, each with its colour (the same palette as the stored
 * overlays), its models and its result names. Read from the job's run record once and kept for a few hundred jobs.
 */
@Component
class JobStructures {
    private static final int CACHED_JOBS = 256;

    /** One structure of a job. */
    record Structure(String name, String colour, int rgb, List<String> models, String probabilities,
                     String measurements) {
    }

    private final ObjectStore store;
    private final Map<String, List<Structure>> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<Structure>> eldest) {
                    return size() > CACHED_JOBS;
                }
            });

    JobStructures(ObjectStore store) {
        this.store = store;
    }

    /** The job's structures; empty while it has no results. Blocking. */
    List<Structure> of(JobStatus s) {
        if (s.results() == null || s.results().isEmpty()) {
            return List.of();
        }
        String runKey = s.results().get("run.json");
        List<Structure> known = cache.get(s.jobId());
        if (known != null) {
            return known;
        }
        List<Structure> read = read(runKey);
        if (read.isEmpty()) {
            // a run record without structures: the main map is the one structure there is
            read = List.of(new Structure("result", StructureColours.css(0), StructureColours.rgb(0),
                    s.models() == null ? List.of() : List.copyOf(s.models()), "probabilities.tif", null));
        }
        cache.put(s.jobId(), read);
        return read;
    }

    private List<Structure> read(String runKey) {
        if (runKey == null) {
            return List.of();
        }
        JsonNode run;
        try {
            run = EventJson.mapper().readTree(store.get(runKey));
        } catch (IOException e) {
            throw new UncheckedIOException("run record " + runKey + " is not readable", e);
        }
        List<Structure> out = new ArrayList<>();
        var fields = run.path("structures").fields();
        int i = 0;
        while (fields.hasNext()) {
            var e = fields.next();
            List<String> models = new ArrayList<>();
            e.getValue().forEach(m -> models.add(m.asText()));
            out.add(new Structure(e.getKey(), StructureColours.css(i), StructureColours.rgb(i), List.copyOf(models),
                    e.getKey() + "/probabilities.tif", e.getKey() + "/measurements.csv"));
            i++;
        }
        return List.copyOf(out);
    }

    /** The structure a model of the job segments. */
    static Structure ofModel(List<Structure> structures, String model) {
        return structures.stream().filter(s -> s.models().contains(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model '" + model + "' is not one of the job's"));
    }
}
