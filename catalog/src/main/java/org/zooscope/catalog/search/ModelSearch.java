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
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.zooscope.core.catalog.CatalogIndex;

/**
 * Searches the model zoo: word starts over the whole card (name, description, tags, structure, modality, organism,
 * id) with synonyms, exact facets, an optional voxel-size range,
 * relevance-sorted, with per-facet counts for the page. Thread-safe.
 */
public final class ModelSearch {
    /** Facets the page offers, each a keyword field of the models index. */
    public static final List<String> FACETS = List.of("component", "modality", "organism", "dims", "frames", "license", "tier");

    private final OpenSearchClient client;

    public ModelSearch(OpenSearchClient client) {
        this.client = client;
    }

    /**
     * A query: free text, facet filters (field → value), voxel size range in nm (nullable), a page, and who asks:
     * everyone sees published models, an owner also their own private ones ({@code viewerHash} null: published only).
     */
    public record Query(String text, Map<String, String> filters, Double minVoxelNm, Double maxVoxelNm, int from, int size,
                        String viewerHash) {
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
        if (q.text() != null && !q.text().isBlank()) {
            // every word must match the start of a word of the card (or a synonym: mito -> mitochondria); whole-word
            // matches in the name and tags rank first
            must.add(org.opensearch.client.opensearch._types.query_dsl.Query.of(m -> m.match(mm -> mm
                    .field("search_text").query(FieldValue.of(q.text()))
                    .operator(org.opensearch.client.opensearch._types.query_dsl.Operator.And))));
            should.add(org.opensearch.client.opensearch._types.query_dsl.Query.of(m -> m.multiMatch(mm -> mm
                    .query(q.text()).fields("name^3", "tags^2", "description", "search_text.words"))));
        }
        q.filters().forEach((field, value) -> filter.add(org.opensearch.client.opensearch._types.query_dsl.Query.of(
                f -> f.term(t -> t.field(field).value(field.equals("frames") ? FieldValue.of(Long.parseLong(value))
                        : FieldValue.of(value))))));
        filter.add(visibleTo(q.viewerHash()));
        if (q.minVoxelNm() != null || q.maxVoxelNm() != null) {
            filter.add(org.opensearch.client.opensearch._types.query_dsl.Query.of(f -> f.range(r -> {
                r.field("voxelSize.x");
                if (q.minVoxelNm() != null) {
                    r.gte(org.opensearch.client.json.JsonData.of(q.minVoxelNm()));
                }
                if (q.maxVoxelNm() != null) {
                    r.lte(org.opensearch.client.json.JsonData.of(q.maxVoxelNm()));
                }
                return r;
            })));
        }
        try {
            SearchResponse<Map> r = client.search(s -> {
                s.index(CatalogIndex.MODELS.indexName()).from(q.from()).size(q.size())
                        .query(qq -> qq.bool(b -> b.must(must).should(should).filter(filter)));
                for (String f : FACETS) {
                    s.aggregations(f, a -> a.terms(t -> t.field(f).size(50)));
                }
                return s;
            }, Map.class);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Hit<Map> h : r.hits().hits()) {
                Map<String, Object> doc = new LinkedHashMap<>(h.source());
                doc.remove("packageKey");
                doc.remove("owner");
                items.add(doc);
            }
            Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
            for (String f : FACETS) {
                var agg = r.aggregations().get(f);
                Map<String, Long> counts = new LinkedHashMap<>();
                if (agg != null && agg.isSterms()) {
                    for (StringTermsBucket b : agg.sterms().buckets().array()) {
                        counts.put(b.key(), b.docCount());
                    }
                } else if (agg != null && agg.isLterms()) {
                    agg.lterms().buckets().array().forEach(b -> counts.put(b.key(), b.docCount()));
                }
                facets.put(f, counts);
            }
            long total = r.hits().total() == null ? items.size() : r.hits().total().value();
            return new Result(items, total, facets);
        } catch (IOException e) {
            throw new UncheckedIOException("model search failed", e);
        }
    }

    /** Published models, and the viewer's own ones. */
    static org.opensearch.client.opensearch._types.query_dsl.Query visibleTo(String viewerHash) {
        return org.opensearch.client.opensearch._types.query_dsl.Query.of(v -> v.bool(b -> {
            b.should(s -> s.term(t -> t.field("published").value(FieldValue.of(true))));
            if (viewerHash != null) {
                b.should(s -> s.term(t -> t.field("owner").value(FieldValue.of(viewerHash))));
            }
            return b.minimumShouldMatch("1");
        }));
    }

    /** Whether a model document may be shown to {@code viewerHash} (null: an anonymous visitor). */
    public static boolean visible(Map<String, Object> doc, String viewerHash) {
        return Boolean.TRUE.equals(doc.get("published")) || (viewerHash != null && viewerHash.equals(doc.get("owner")));
    }

    /** One model's card (including its package key, for the services), if it is in the zoo. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Optional<Map<String, Object>> get(String id) {
        try {
            var r = client.get(g -> g.index(CatalogIndex.MODELS.indexName()).id(id), Map.class);
            return r.found() ? Optional.of((Map<String, Object>) r.source()) : Optional.empty();
        } catch (org.opensearch.client.opensearch._types.OpenSearchException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("model lookup failed", e);
        }
    }
}
