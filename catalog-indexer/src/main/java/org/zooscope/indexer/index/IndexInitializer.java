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

    /**
     * Whether an existing index was made with another version of its mapping ({@code mappings._meta.mappingVersion}
     * in the resource, 0 when absent): then the indices are rebuilt from the events, since a mapping's analysers cannot
     * be changed in place.
     */
    public static boolean outdated(OpenSearchClient client) {
        for (CatalogIndex index : CatalogIndex.values()) {
            try {
                if (!client.indices().exists(e -> e.index(index.indexName())).value()) {
                    continue;
                }
                var mapping = client.indices().getMapping(g -> g.index(index.indexName())).result()
                        .get(index.indexName()).mappings();
                var meta = mapping.meta().get("mappingVersion");
                long stored = meta == null ? 0 : meta.to(Number.class).longValue();
                if (stored != mappingVersion(index)) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the mapping of " + index.indexName(), e);
            }
        }
        return false;
    }

    private static long mappingVersion(CatalogIndex index) throws IOException {
        try (InputStream in = IndexInitializer.class.getResourceAsStream(index.mappingResource())) {
            if (in == null) {
                throw new IllegalStateException("mapping resource missing: " + index.mappingResource());
            }
            var root = EventJson.mapper().readTree(new InputStreamReader(in, StandardCharsets.UTF_8));
            return root.path("mappings").path("_meta").path("mappingVersion").asLong(0);
        }
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
