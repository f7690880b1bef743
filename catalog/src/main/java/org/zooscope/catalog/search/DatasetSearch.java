package org.zooscope.catalog.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.zooscope.core.catalog.CatalogIndex;

/**
 * Searches the hosted datasets: word starts over the card (name, description, source, citation, modality, organism,
 * id) with the zoo's synonyms, exact facets (modality, organism), newest first when there is no text. Hosted datasets
 * are ingested by curators for everyone, so every dataset is visible to every caller. Thread-safe.
 */
public final class DatasetSearch {
    /** Facets, each a keyword field of the datasets index. */
    public static final List<String> FACETS = List.of("modality", "organism");

    private final OpenSearchClient client;

    public DatasetSearch(OpenSearchClient client) {
        this.client = client;
    }

    /** Free text, facet filters (field → value) and a page. */
    public record Query(String text, Map<String, String> filters, int from, int size) {
        public Query {
            filters = filters == null ? Map.of() : Map.copyOf(filters);
            for (String f : filters.keySet()) {
                if (!FACETS.contains(f)) {
                    throw new IllegalArgumentException("unknown facet '" + f + "'; facets are " + FACETS);
                }
            }
            if (from < 0 || size < 1 || size > 200) {
                throw new IllegalArgumentException("page must have from >= 0 and 1 <= size <= 200");
            }
        }
    }

    public record Result(List<Map<String, Object>> items, long total, Map<String, Map<String, Long>> facets) {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public Result search(Query q) {
        List<org.opensearch.client.opensearch._types.query_dsl.Query> must = new ArrayList<>();
        List<org.opensearch.client.opensearch._types.query_dsl.Query> filter = new ArrayList<>();
        List<org.opensearch.client.opensearch._types.query_dsl.Query> should = new ArrayList<>();
        boolean text = q.text() != null && !q.text().isBlank();
        if (text) {
            must.add(org.opensearch.client.opensearch._types.query_dsl.Query.of(m -> m.match(mm -> mm
                    .field("search_text").query(FieldValue.of(q.text())).operator(Operator.And))));
            should.add(org.opensearch.client.opensearch._types.query_dsl.Query.of(m -> m.multiMatch(mm -> mm
                    .query(q.text()).fields("name^3", "description", "search_text.words"))));
        }
        q.filters().forEach((field, value) -> filter.add(org.opensearch.client.opensearch._types.query_dsl.Query.of(
                f -> f.term(t -> t.field(field).value(FieldValue.of(value))))));
        try {
            SearchResponse<Map> r = client.search(s -> {
                s.index(CatalogIndex.DATASETS.indexName()).from(q.from()).size(q.size())
                        .query(qq -> qq.bool(b -> b.must(must).should(should).filter(filter)));
                if (!text) {
                    s.sort(o -> o.field(f -> f.field("registeredAt").order(
                            org.opensearch.client.opensearch._types.SortOrder.Desc)));
                }
                for (String f : FACETS) {
                    s.aggregations(f, a -> a.terms(t -> t.field(f).size(50)));
                }
                return s;
            }, Map.class);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Hit<Map> h : r.hits().hits()) {
                items.add(publicCard(h.source()));
            }
            Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
            for (String f : FACETS) {
                var agg = r.aggregations().get(f);
                Map<String, Long> counts = new LinkedHashMap<>();
                if (agg != null && agg.isSterms()) {
                    for (StringTermsBucket b : agg.sterms().buckets().array()) {
                        counts.put(b.key(), b.docCount());
                    }
                }
                facets.put(f, counts);
            }
            long total = r.hits().total() == null ? items.size() : r.hits().total().value();
            return new Result(items, total, facets);
        } catch (OpenSearchException e) {
            if (e.status() == 404) {
                // the indexer has not created the index yet: no dataset is registered
                return new Result(List.of(), 0, Map.of());
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("dataset search failed", e);
        }
    }

    /** One dataset's document, if it is registered. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Optional<Map<String, Object>> get(String id) {
        try {
            var r = client.get(g -> g.index(CatalogIndex.DATASETS.indexName()).id(id), Map.class);
            return r.found() ? Optional.of(publicCard(r.source())) : Optional.empty();
        } catch (OpenSearchException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("dataset lookup failed", e);
        }
    }

    /** The document without what only the services use. */
    private static Map<String, Object> publicCard(Map<String, Object> source) {
        Map<String, Object> doc = new LinkedHashMap<>(source);
        doc.remove("dataKey");
        return doc;
    }
}
