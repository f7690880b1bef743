package org.zooscope.indexer.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import java.io.StringReader;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch.indices.IndexSettings;
import org.zooscope.core.catalog.CatalogIndex;
import org.zooscope.core.events.EventJson;

/** Creates each catalog index with its explicit mapping unless it exists; or drops and recreates them all. */
public final class IndexInitializer {
    private IndexInitializer() {
    }

    /**
     * Drops every catalog index and creates it again, empty, with the mapping in this build: the first step of a
     * reindex, which then consumes the events from the beginning.
     */
    public static void recreateIndices(OpenSearchClient client) {
        for (CatalogIndex index : CatalogIndex.values()) {
            try {
                if (client.indices().exists(e -> e.index(index.indexName())).value()) {
                    client.indices().delete(d -> d.index(index.indexName()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot drop index " + index.indexName(), e);
            }
        }
        createIndices(client);
    }

    public static void createIndices(OpenSearchClient client) {
        for (CatalogIndex index : CatalogIndex.values()) {
            try {
                if (client.indices().exists(e -> e.index(index.indexName())).value()) {
                    continue;
                }
                try (InputStream in = IndexInitializer.class.getResourceAsStream(index.mappingResource())) {
                    if (in == null) {
                        throw new IllegalStateException("mapping resource missing: " + index.mappingResource());
                    }
                    var root = EventJson.mapper().readTree(new InputStreamReader(in, StandardCharsets.UTF_8));
                    JsonpMapper mapper = client._transport().jsonpMapper();
                    TypeMapping mappings = TypeMapping._DESERIALIZER.deserialize(
                            mapper.jsonProvider().createParser(new StringReader(root.get("mappings").toString())), mapper);
                    IndexSettings settings = IndexSettings._DESERIALIZER.deserialize(
                            mapper.jsonProvider().createParser(new StringReader(root.get("settings").toString())), mapper);
                    client.indices().create(c -> c.index(index.indexName()).mappings(mappings).settings(settings));
                }
            } catch (OpenSearchException e) {
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create index " + index.indexName(), e);
            }
        }
    }
}
