package org.zooscope.indexer;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.indexer.consume.CatalogConsumer;
import org.zooscope.indexer.index.CatalogWriter;
import org.zooscope.indexer.index.IndexInitializer;
import org.zooscope.catalog.OpenSearchClients;
import org.zooscope.core.lifecycle.ReadyMarker;

/**
 * The catalog-indexer process. Settings by environment: {@code ZOOSCOPE_KAFKA_BOOTSTRAP},
 * {@code ZOOSCOPE_OPENSEARCH_URL}, {@code ZOOSCOPE_INDEXER_GROUP}. {@code reindex} as first argument rebuilds the
 * indices: it drops and recreates them (with this build's mappings), then consumes the topics from the beginning with
 * a fresh consumer group. The events are the source of truth; the indices are a view of them.
 */
public final class IndexerMain {
    private static final Logger log = LoggerFactory.getLogger(IndexerMain.class);

    private IndexerMain() {
    }

    public static void main(String[] args) throws Exception {
        var env = System.getenv();
        ReadyMarker ready = ReadyMarker.cleared(env.get("ZOOSCOPE_READY_FILE"));
        String bootstrap = env.getOrDefault("ZOOSCOPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String url = env.getOrDefault("ZOOSCOPE_OPENSEARCH_URL", "http://127.0.0.1:9200");
        String group = env.getOrDefault("ZOOSCOPE_INDEXER_GROUP", "zooscope-catalog-indexer");
        OpenSearchClient client = OpenSearchClients.connect(url);
        boolean outdated = IndexInitializer.outdated(client);
        if ((args.length > 0 && args[0].equals("reindex")) || outdated) {
            group = reindexGroup(group, System.currentTimeMillis());
            log.info("reindexing{}: dropping the catalog indices, then consuming from the beginning with group {}",
                    outdated ? " (an index was made with an older mapping)" : "", group);
            IndexInitializer.recreateIndices(client);
        } else {
            IndexInitializer.createIndices(client);
        }
        CatalogConsumer consumer = new CatalogConsumer(bootstrap, group, new CatalogWriter(client));
        Thread thread = new Thread(consumer, "catalog-consumer");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.stop();
            try {
                thread.join(10_000);
                ready.clear();
            } catch (Exception e) {
                log.warn("shutdown: {}", e.getMessage());
            }
        }, "shutdown"));
        thread.start();
        ready.mark();
        log.info("catalog-indexer ready: {} -> {}", bootstrap, url);
        thread.join();
    }

    /** A consumer group that has never committed, so it starts at the beginning of every topic. */
    static String reindexGroup(String group, long now) {
        return group + "-reindex-" + now;
    }
}
