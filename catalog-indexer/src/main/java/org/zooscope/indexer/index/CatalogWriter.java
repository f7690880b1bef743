package org.zooscope.indexer.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.zooscope.core.catalog.CatalogIndex;
import org.zooscope.core.events.DatasetRegistered;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobCompleted;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.Region;

/**
 * Writes events into the catalog. Each document's id is the event's key (model id, job id), so consuming an event
 * again replaces the document instead of adding a second one.
 */
public final class CatalogWriter {
    private final OpenSearchClient client;

    public CatalogWriter(OpenSearchClient client) {
        this.client = client;
    }

    public void model(ModelRegistered event) {
        Map<String, Object> doc = new LinkedHashMap<>(event.card());
        doc.put("id", event.modelId());
        doc.put("version", event.version());
        doc.put("packageKey", event.packageKey());
        doc.put("published", event.published());
        doc.put("owner", event.ownerHash());
        doc.put("registeredAt", event.registeredAt());
        put(CatalogIndex.MODELS, event.modelId(), doc);
    }

    public void deleteModel(String modelId) {
        try {
            client.delete(d -> d.index(CatalogIndex.MODELS.indexName()).id(modelId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void dataset(DatasetRegistered event) {
        Map<String, Object> doc = new LinkedHashMap<>(event.card());
        doc.put("id", event.datasetId());
        doc.put("dataKey", event.dataKey());
        doc.put("registeredAt", event.registeredAt());
        put(CatalogIndex.DATASETS, event.datasetId(), doc);
    }

    public void deleteDataset(String datasetId) {
        try {
            client.delete(d -> d.index(CatalogIndex.DATASETS.indexName()).id(datasetId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void job(JobCompleted event) {
        put(CatalogIndex.JOBS, event.jobId(), jobDocument(event));
    }

    /**
     * The event as it is, plus {@code roiEnd}: where a dataset region ends (exclusive) on each axis, so that "near a
     * point" is a range query. A full run (a dataset with no region) has none: it covers the whole volume.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> jobDocument(JobCompleted event) {
        Map<String, Object> doc = EventJson.mapper().convertValue(event, LinkedHashMap.class);
        Region roi = event.input() == null ? null : event.input().roi();
        if (roi != null) {
            doc.put("roiEnd", Map.of("x", roi.x() + roi.width(), "y", roi.y() + roi.height(), "z", roi.z() + roi.depth()));
        }
        return doc;
    }

    private void put(CatalogIndex index, String id, Object doc) {
        try {
            client.index(i -> i.index(index.indexName()).id(id).document(doc));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index " + id + " into " + index.indexName(), e);
        }
    }
}
