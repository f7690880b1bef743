package org.zooscope.indexer;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.indexer.consume.CatalogConsumer;
import org.zooscope.indexer.index.CatalogWriter;
import org.zooscope.indexer.index.IndexInitializer;
import org.zooscope.indexer.index.OpenSearchClients;

/**
 * The catalog-indexer process. Settings by environment: {@code ZOOSCOPE_KAFKA_BOOTSTRAP},
 * {@code ZOOSCOPE_OPENSEARCH_URL}, {@code ZOOSCOPE_INDEXER_GROUP}. {@code reindex} as first argument rebuilds the
 * indices from the beginning of the topics (a fresh consumer group).
 */
public final class IndexerMain {
    private static final Logger log = LoggerFactory.getLogger(IndexerMain.class);

    private IndexerMain() {
    }

    public static void main(String[] args) throws Exception {
        var env = System.getenv();
        String bootstrap = env.getOrDefault("ZOOSCOPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String url = env.getOrDefault("ZOOSCOPE_OPENSEARCH_URL", "http://127.0.0.1:9200");
        String group = env.getOrDefault("ZOOSCOPE_INDEXER_GROUP", "zooscope-catalog-indexer");
        if (args.length > 0 && args[0].equals("reindex")) {
            group = group + "-reindex-" + System.currentTimeMillis();
            log.info("reindexing from the beginning of the topics with consumer group {}", group);
        }
        OpenSearchClient client = OpenSearchClients.connect(url);
        IndexInitializer.createIndices(client);
        CatalogConsumer consumer = new CatalogConsumer(bootstrap, group, new CatalogWriter(client));
        Thread thread = new Thread(consumer, "catalog-consumer");
        String ready = env.get("ZOOSCOPE_READY_FILE");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.stop();
            try {
                thread.join(10_000);
                if (ready != null) {
                    Files.deleteIfExists(Path.of(ready));
                }
            } catch (Exception e) {
                log.warn("shutdown: {}", e.getMessage());
            }
        }, "shutdown"));
        thread.start();
        if (ready != null) {
            Files.createDirectories(Path.of(ready).getParent());
            Files.writeString(Path.of(ready), "ready\n");
        }
        log.info("catalog-indexer ready: {} -> {}", bootstrap, url);
        thread.join();
    }
}
