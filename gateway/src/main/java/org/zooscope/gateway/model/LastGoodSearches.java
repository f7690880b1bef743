package org.zooscope.gateway.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.zooscope.catalog.search.ModelSearch;

/**
 * The last answer to each recent zoo search, so that the zoo stays browsable while the catalogue (OpenSearch) is
 * down: its answers are served, marked stale, instead of an error. Bounded; the query includes who asks, so nobody
 * is served another's private models.
 */
@Component
class LastGoodSearches {
    private static final int KEPT = 256;

    private final Map<ModelSearch.Query, ModelSearch.Result> answers = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ModelSearch.Query, ModelSearch.Result> eldest) {
                    return size() > KEPT;
                }
            });

    void remember(ModelSearch.Query query, ModelSearch.Result result) {
        answers.put(query, result);
    }

    Optional<ModelSearch.Result> last(ModelSearch.Query query) {
        return Optional.ofNullable(answers.get(query));
    }
}
