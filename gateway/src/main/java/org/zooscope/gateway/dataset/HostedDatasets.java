package org.zooscope.gateway.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetLayer;
import org.zooscope.core.dataset.DatasetReader;
import org.zooscope.core.dataset.DatasetStats;
import org.zooscope.core.render.StructureColours;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * The hosted datasets in the store, as the API shows them. A dataset's card, statistics and voxels never change once
 * its card is written, so each opened dataset (its reader, card and default contrast) is kept, for the most recently
 * used {@value #OPEN}; its layers are listed afresh each time, as full runs add them. Blocking: call it off the event
 * loop. Thread-safe.
 */
@Component
class HostedDatasets {
    /** Datasets kept open. */
    static final int OPEN = 64;
    /** The default contrast: these percentiles of the raw voxels' histogram. */
    static final double LOW_PERCENTILE = 0.5;
    static final double HIGH_PERCENTILE = 99.5;

    private final ObjectStore store;
    private final Map<String, Opened> open = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Opened> eldest) {
            return size() > OPEN;
        }
    });

    HostedDatasets(ObjectStore store) {
        this.store = store;
    }

    /** An opened dataset: its reader, card and default display range {@code [min, max]} of raw values. */
    record Opened(DatasetReader reader, DatasetCard card, double displayMin, double displayMax) {
    }

    /** The dataset, or a 404 problem. */
    Opened open(String id) {
        Opened o = open.get(id);
        if (o != null) {
            return o;
        }
        if (!DatasetKeys.isValidId(id)) {
            throw ApiProblem.notFound("there is no dataset '" + id + "' (ids are lower-case letters, digits and dashes)");
        }
        DatasetReader reader = new DatasetReader(store, id);
        DatasetCard card;
        try {
            card = reader.card();
        } catch (ObjectStore.NoSuchObjectException e) {
            throw ApiProblem.notFound("there is no dataset '" + id + "'");
        }
        DatasetStats stats = reader.stats();
        double lo = stats.raw().percentile(LOW_PERCENTILE);
        double hi = stats.raw().percentile(HIGH_PERCENTILE);
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        o = new Opened(reader, card, lo, hi);
        open.put(id, o);
        return o;
    }

    /** Whether a dataset with this id is stored (its card exists). */
    boolean exists(String id) {
        return store.size(DatasetKeys.card(id)).isPresent();
    }

    /** The card as the API shows it: the card's fields, its layers, the default contrast and the tile URLs. */
    Map<String, Object> view(Opened o) {
        Map<String, Object> m = o.card().asMap();
        String id = o.card().id();
        m.put("layers", layers(o));
        m.put("display", Map.of("min", o.displayMin(), "max", o.displayMax()));
        m.put("tileSize", o.reader().image().chunks(0)[2]);
        m.put("tiles", "/api/v1/datasets/" + id + "/tiles/{z}/{level}/{col}_{row}.png");
        return m;
    }

    /** A search hit with the dataset's layers added (the catalog does not know them). */
    Map<String, Object> listed(Map<String, Object> doc) {
        Map<String, Object> m = new LinkedHashMap<>(doc);
        m.remove("registeredAt");
        Object id = doc.get("id");
        m.put("layers", id instanceof String s && DatasetKeys.isValidId(s) ? layers(s, new DatasetReader(store, s))
                : List.of());
        return m;
    }

    List<Map<String, Object>> layers(Opened o) {
        return layers(o.card().id(), o.reader());
    }

    private static List<Map<String, Object>> layers(String id, DatasetReader reader) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DatasetLayer l : reader.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobId", l.jobId());
            List<Map<String, Object>> structures = new ArrayList<>();
            for (String s : l.structures()) {
                if (!l.images().containsKey(s)) {
                    continue;
                }
                structures.add(Map.of("name", s, "colour", StructureColours.css(l.colourIndex(s)),
                        "tiles", "/api/v1/datasets/" + id + "/layers/" + l.jobId() + "/" + s
                                + "/tiles/{z}/{level}/{col}_{row}.png"));
            }
            m.put("structures", structures);
            m.put("models", l.models());
            m.put("threshold", l.threshold());
            m.put("createdAt", l.createdAt());
            out.add(m);
        }
        return out;
    }
}
