package org.zooscope.catalog.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.ScriptSortType;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.zooscope.core.catalog.CatalogIndex;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobCompleted;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.Region;

/**
 * Searches the finished jobs ({@code zooscope-jobs}, one document per {@link JobCompleted}): the jobs of one owner
 * near a point of a hosted dataset, nearest first, and the figures of past runs of a model, for estimates. Only jobs
 * that ended are indexed. Thread-safe.
 */
public final class JobSearch {
    /** The largest page of {@link #near}. */
    public static final int MAX_PAGE = 200;
    /** The furthest page start: OpenSearch pages through at most 10,000 hits. */
    public static final int MAX_FROM = 10_000 - MAX_PAGE;

    /** Distance in x/y from the point to the region (0 inside it, and for a full run); the same as {@link #distance}. */
    private static final String DISTANCE_SCRIPT = """
            if (doc['input.roi.x'].size() == 0) { return 0.0; }
            double dx = Math.max(0, Math.max(doc['input.roi.x'].value - params.x, params.x - (doc['roiEnd.x'].value - 1)));
            double dy = Math.max(0, Math.max(doc['input.roi.y'].value - params.y, params.y - (doc['roiEnd.y'].value - 1)));
            return Math.sqrt(dx * dx + dy * dy);
            """;

    private final OpenSearchClient client;

    public JobSearch(OpenSearchClient client) {
        this.client = client;
    }

    /**
     * Jobs of {@code ownerHash} on {@code datasetId} whose region contains slice {@code z} and comes within
     * {@code margin} voxels of {@code (x, y)} (level-0 voxels, as {@link Region#near}); full runs (no region) cover the
     * whole volume and always match.
     */
    public record Near(String datasetId, int x, int y, int z, int margin, String ownerHash, int from, int size) {
        public Near {
            if (datasetId == null || ownerHash == null) {
                throw new IllegalArgumentException("a dataset and an owner are required");
            }
            if (x < 0 || y < 0 || z < 0 || margin < 0) {
                throw new IllegalArgumentException("x, y, z and margin must be >= 0");
            }
            if (from < 0 || from > MAX_FROM || size < 1 || size > MAX_PAGE) {
                throw new IllegalArgumentException("page must have 0 <= from <= " + MAX_FROM + " and 1 <= size <= " + MAX_PAGE);
            }
        }
    }

    /**
     * One job found near the point.
     *
     * @param roi      its region, null for a full run
     * @param distance in voxels, in x/y, from the point to the region's nearest voxel (0: it contains the point)
     */
    public record Found(String jobId, JobState state, List<String> models, String datasetId, Region roi,
                        Instant finishedAt, String augmentation, double distance) {
    }

    public record Page(List<Found> items, long total) {
    }

    /**
     * What a past successful run of a model measured.
     *
     * @param tiles            tile tasks of the whole job (every model, every slice)
     * @param inferenceSeconds from its first tile task to its end
     */
    public record PastRun(String jobId, List<String> models, String augmentation, int tiles, double inferenceSeconds,
                          Instant finishedAt) {
    }

    /** The jobs near a point, nearest first, then the most recent first. */
    @SuppressWarnings("rawtypes")
    public Page near(Near q) {
        List<Query> filter = new ArrayList<>();
        filter.add(term("ownerHash", q.ownerHash()));
        filter.add(term("input.datasetId", q.datasetId()));
        Query fullRun = Query.of(f -> f.bool(b -> b.mustNot(n -> n.exists(e -> e.field("input.roi.x")))));
        Query region = Query.of(f -> f.bool(b -> b.filter(List.of(
                range("input.roi.z", null, (long) q.z()), range("roiEnd.z", q.z() + 1L, null),
                range("input.roi.x", null, (long) q.x() + q.margin()), range("roiEnd.x", (long) q.x() - q.margin() + 1, null),
                range("input.roi.y", null, (long) q.y() + q.margin()), range("roiEnd.y", (long) q.y() - q.margin() + 1, null)))));
        filter.add(Query.of(f -> f.bool(b -> b.should(fullRun, region).minimumShouldMatch("1"))));
        try {
            SearchResponse<Map> r = client.search(s -> s.index(CatalogIndex.JOBS.indexName())
                    .from(q.from()).size(q.size()).trackTotalHits(t -> t.enabled(true))
                    .query(qq -> qq.bool(b -> b.filter(filter)))
                    .sort(so -> so.script(sc -> sc.type(ScriptSortType.Number).order(SortOrder.Asc)
                            .script(scr -> scr.inline(i -> i.lang("painless").source(DISTANCE_SCRIPT)
                                    .params("x", JsonData.of(q.x())).params("y", JsonData.of(q.y()))))))
                    .sort(so -> so.field(f -> f.field("finishedAt").order(SortOrder.Desc))), Map.class);
            List<Found> items = new ArrayList<>();
            for (Hit<Map> h : r.hits().hits()) {
                JobCompleted job = EventJson.mapper().convertValue(h.source(), JobCompleted.class);
                Region roi = job.input() == null ? null : job.input().roi();
                items.add(new Found(job.jobId(), job.state(), job.models(), q.datasetId(), roi, job.finishedAt(),
                        job.augmentation() == null ? null : job.augmentation().wire(), distance(roi, q.x(), q.y())));
            }
            long total = r.hits().total() == null ? items.size() : r.hits().total().value();
            return new Page(items, total);
        } catch (OpenSearchException e) {
            if (e.status() == 404) {
                return new Page(List.of(), 0); // no job has ended yet: the indexer creates the index on its first start
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("job search failed", e);
        }
    }

    /**
     * The most recent successful jobs that ran {@code modelId} (alone or with others) and measured their inference,
     * newest first, at most {@code limit}.
     */
    @SuppressWarnings("rawtypes")
    public List<PastRun> pastRuns(String modelId, int limit) {
        try {
            SearchResponse<Map> r = client.search(s -> s.index(CatalogIndex.JOBS.indexName()).size(limit)
                    .query(qq -> qq.bool(b -> b.filter(term("state", JobState.SUCCEEDED.name()), term("models", modelId),
                            range("stats.tiles", 1L, null),
                            Query.of(f -> f.range(rr -> rr.field("stats.inferenceSeconds").gt(JsonData.of(0)))))))
                    .sort(so -> so.field(f -> f.field("finishedAt").order(SortOrder.Desc))), Map.class);
            List<PastRun> runs = new ArrayList<>();
            for (Hit<Map> h : r.hits().hits()) {
                JobCompleted job = EventJson.mapper().convertValue(h.source(), JobCompleted.class);
                runs.add(new PastRun(job.jobId(), job.models(),
                        job.augmentation() == null ? "none" : job.augmentation().wire(),
                        ((Number) job.stats().get("tiles")).intValue(),
                        ((Number) job.stats().get("inferenceSeconds")).doubleValue(), job.finishedAt()));
            }
            return runs;
        } catch (OpenSearchException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("job search failed", e);
        }
    }

    /** In x/y voxels, from {@code (x, y)} to the nearest voxel of the region; 0 inside it, and for no region. */
    public static double distance(Region roi, int x, int y) {
        if (roi == null) {
            return 0;
        }
        double dx = Math.max(0, Math.max(roi.x() - x, x - (roi.x() + roi.width() - 1)));
        double dy = Math.max(0, Math.max(roi.y() - y, y - (roi.y() + roi.height() - 1)));
        return Math.sqrt(dx * dx + dy * dy);
    }

    private static Query term(String field, String value) {
        return Query.of(f -> f.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    /** {@code gte <= field <= lte}, either bound optional. */
    private static Query range(String field, Long gte, Long lte) {
        return Query.of(f -> f.range(r -> {
            r.field(field);
            if (gte != null) {
                r.gte(JsonData.of(gte));
            }
            if (lte != null) {
                r.lte(JsonData.of(lte));
            }
            return r;
        }));
    }
}
