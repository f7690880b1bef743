package org.zooscope.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.zooscope.core.catalog.CatalogIndex;
import org.zooscope.core.events.DatasetRegistered;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.Topics;
import org.zooscope.indexer.consume.CatalogConsumer;
import org.zooscope.indexer.index.CatalogWriter;
import org.zooscope.indexer.index.IndexInitializer;
import org.zooscope.catalog.OpenSearchClients;
import org.zooscope.catalog.search.ModelSearch;
import org.zooscope.infra.stack.LocalStack;
import org.zooscope.infra.stack.StackSettings;

/**
 * The catalog against real Kafka and OpenSearch: model (and dataset) events become searchable documents (full text, facets with
 * counts, voxel-size range, relevance order, private models for their owner only), consuming an event again does not
 * duplicate it, and a reindex rebuilds the indices from the events alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogIndexIT {
    private static final String ALICE = "a".repeat(64);
    private static final String BOB = "b".repeat(64);

    private static LocalStack stack;
    private static OpenSearchClient client;
    private static ModelSearch search;
    private static CatalogConsumer consumer;
    private static Thread consumerThread;

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("zooscope.root", "..")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("zooscope.it.dir", "target/it")).toAbsolutePath().resolve("catalog");
        stack = LocalStack.fresh(StackSettings.forTests(root, state));
        stack.startServers(Duration.ofSeconds(180));
        client = OpenSearchClients.connect(stack.settings().openSearchUrl());
        IndexInitializer.createIndices(client);
        search = new ModelSearch(client);
        consumerThread = startConsumer("catalog-it");
        send(model("mito-em-2d", "Mitochondria EM 2D", "U-Net for mitochondria in SBEM slices", "mitochondria",
                "electron microscopy", 4.0, 1, true, null));
        send(model("membrane-em", "Membranes ISBI", "Membranes in ssTEM; also sees some mitochondria edges", "membranes",
                "electron microscopy", 4.0, 1, true, null));
        send(model("nuclei-lm", "Nuclei fluorescence", "Nuclei in light microscopy", "nuclei",
                "fluorescence light microscopy", 100.0, 1, true, null));
        send(model("alice-mito-25d", "Alice mitochondria 2.5D", "Private mitochondria model", "mitochondria",
                "electron microscopy", 8.0, 5, false, ALICE));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (consumer != null) {
            consumer.stop();
            consumerThread.join(10_000);
        }
        if (stack != null) {
            stack.stop(List.of());
        }
    }

    @Test
    @Order(1)
    void aRegisteredModelIsSearchableWithinSeconds() {
        ModelSearch.Result r = await().atMost(Duration.ofSeconds(30)).until(
                () -> search.search(query("mitochondria", Map.of(), null, null, null)), x -> x.total() == 2);

        assertThat(ids(r)).as("relevance: the name match ranks above a description-only match")
                .containsExactly("mito-em-2d", "membrane-em");
        assertThat(r.items().get(0)).doesNotContainKeys("packageKey", "owner");
    }

    @Test
    @Order(2)
    void facetsFilterAndCountThePage() {
        await().atMost(Duration.ofSeconds(30)).until(() -> search.search(query(null, Map.of(), null, null, null)).total() == 3);

        ModelSearch.Result em = search.search(query(null, Map.of("modality", "electron microscopy"), null, null, null));

        assertThat(ids(em)).containsExactlyInAnyOrder("mito-em-2d", "membrane-em");
        assertThat(em.facets().get("component")).containsOnly(Map.entry("mitochondria", 1L), Map.entry("membranes", 1L));
        assertThat(em.facets().get("modality")).containsOnly(Map.entry("electron microscopy", 2L));
        assertThat(em.facets().get("frames")).containsOnly(Map.entry("1", 2L));
        assertThat(em.facets().get("license")).containsOnly(Map.entry("MIT", 2L));
        assertThat(em.facets().get("tier")).containsOnly(Map.entry("fast", 1L), Map.entry("accurate", 1L));
        ModelSearch.Result accurate = search.search(query(null, Map.of("tier", "accurate"), null, null, null));
        assertThat(ids(accurate)).containsExactly("membrane-em");
        assertThat(accurate.items().get(0)).containsEntry("msPerTile", 210.5);
    }

    @Test
    @Order(3)
    void voxelSizeRangeSelectsByTheModelsPixelSize() {
        await().atMost(Duration.ofSeconds(30)).until(() -> search.search(query(null, Map.of(), null, null, null)).total() == 3);

        assertThat(ids(search.search(query(null, Map.of(), 2.0, 10.0, null)))).containsExactlyInAnyOrder("mito-em-2d", "membrane-em");
        assertThat(ids(search.search(query(null, Map.of(), 50.0, null, null)))).containsExactly("nuclei-lm");
    }

    @Test
    @Order(4)
    void aPrivateModelIsVisibleToItsOwnerOnly() {
        ModelSearch.Result alice = await().atMost(Duration.ofSeconds(30)).until(
                () -> search.search(query("mitochondria", Map.of(), null, null, ALICE)), x -> x.total() == 3);

        assertThat(ids(alice)).contains("alice-mito-25d");
        assertThat(alice.facets().get("frames")).containsEntry("5", 1L);
        assertThat(ids(search.search(query("mitochondria", Map.of(), null, null, BOB)))).doesNotContain("alice-mito-25d");
        assertThat(ids(search.search(query(null, Map.of("frames", "5"), null, null, null)))).isEmpty();
        Map<String, Object> doc = search.get("alice-mito-25d").orElseThrow();
        assertThat(ModelSearch.visible(doc, ALICE)).isTrue();
        assertThat(ModelSearch.visible(doc, BOB)).isFalse();
        assertThat(ModelSearch.visible(doc, null)).isFalse();
    }

    @Test
    @Order(5)
    void consumingAnEventAgainDoesNotDuplicateAndPublishingUpdatesInPlace() throws Exception {
        send(model("nuclei-lm", "Nuclei fluorescence", "Nuclei in light microscopy", "nuclei",
                "fluorescence light microscopy", 100.0, 1, true, null));
        send(model("alice-mito-25d", "Alice mitochondria 2.5D", "Private mitochondria model", "mitochondria",
                "electron microscopy", 8.0, 5, true, ALICE));

        await().atMost(Duration.ofSeconds(30)).until(
                () -> search.search(query(null, Map.of("frames", "5"), null, null, null)).total() == 1);
        assertThat(search.search(query(null, Map.of(), null, null, null)).total()).isEqualTo(4);
        assertThat(count()).isEqualTo(4);
    }

    @Test
    @Order(6)
    void datasetsAreIndexedWithTheirMapping() {
        sendDataset(new DatasetRegistered("sbem-mito", "datasets/sbem-mito/", Map.of("name", "SBEM mitochondria volume",
                "modality", "electron microscopy", "width", 4096, "height", 4096, "depth", 400,
                "voxelSize", Map.of("x", 5.0, "y", 5.0, "z", 30.0, "unit", "nm")), Instant.now()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var r = client.search(s -> s.index(CatalogIndex.DATASETS.indexName())
                    .query(q -> q.match(m -> m.field("name").query(org.opensearch.client.opensearch._types.FieldValue.of("volume")))), Map.class);
            assertThat(r.hits().hits()).singleElement().satisfies(h -> assertThat(h.id()).isEqualTo("sbem-mito"));
        });
        // the gateway's search: word starts and synonyms over the card, facets
        var datasets = new org.zooscope.catalog.search.DatasetSearch(client);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(datasets.search(
                new org.zooscope.catalog.search.DatasetSearch.Query("mito", Map.of("modality", "electron microscopy"), 0, 10))
                .items()).extracting(d -> d.get("id")).containsExactly("sbem-mito"));
        assertThat(datasets.search(new org.zooscope.catalog.search.DatasetSearch.Query("membranes", Map.of(), 0, 10))
                .total()).isZero();
        assertThat(datasets.get("sbem-mito")).hasValueSatisfying(d -> assertThat(d).doesNotContainKey("dataKey"));
    }

    @Test
    @Order(7)
    void reindexRebuildsTheIndicesFromTheEvents() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> count() == 4);
        // drift: a document no event explains, and a mapping change (a new field) the old index lacks
        client.index(i -> i.index(CatalogIndex.MODELS.indexName()).id("stray").document(Map.of("id", "stray", "published", true)));
        client.indices().refresh(r -> r.index(CatalogIndex.MODELS.indexName()));
        assertThat(count()).isEqualTo(5);
        consumer.stop();
        consumerThread.join(10_000);

        IndexInitializer.recreateIndices(client);
        assertThat(count()).isZero();
        consumerThread = startConsumer(IndexerMain.reindexGroup("catalog-it", System.currentTimeMillis()));

        // the replay passes through every event in order (alice's model is private, then published), so wait for the
        // last state rather than for the document count, which is right long before the replay is done
        await().atMost(Duration.ofSeconds(60)).until(() -> search.get("alice-mito-25d")
                .map(d -> Boolean.TRUE.equals(d.get("published"))).orElse(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.count(c -> c.index(CatalogIndex.DATASETS.indexName())).count() == 1);
        assertThat(count()).isEqualTo(4);
        assertThat(search.get("stray")).isEmpty();
    }

    private static long count() throws java.io.IOException {
        client.indices().refresh(r -> r.index(CatalogIndex.MODELS.indexName()));
        return client.count(c -> c.index(CatalogIndex.MODELS.indexName())).count();
    }

    private static Thread startConsumer(String group) {
        consumer = new CatalogConsumer(stack.settings().kafkaBootstrap(), group, new CatalogWriter(client));
        Thread t = new Thread(consumer, "catalog-consumer-it");
        t.start();
        return t;
    }

    private static ModelSearch.Query query(String text, Map<String, String> filters, Double min, Double max, String viewer) {
        return new ModelSearch.Query(text, filters, min, max, 0, 50, viewer);
    }

    private static List<String> ids(ModelSearch.Result r) {
        return r.items().stream().map(i -> String.valueOf(i.get("id"))).toList();
    }

    private static ModelRegistered model(String id, String name, String description, String component, String modality,
                                         double voxelNm, int frames, boolean published, String owner) {
        Map<String, Object> card = new java.util.LinkedHashMap<>();
        card.put("id", id);
        card.put("name", name);
        card.put("description", description);
        card.put("version", "1");
        card.put("identifier", "zooscope:model/" + id + "/1");
        card.put("component", component);
        card.put("modality", modality);
        card.put("organism", "unspecified");
        card.put("frames", frames);
        card.put("dims", frames > 1 ? "2.5D" : "2D");
        card.put("license", "MIT");
        card.put("tags", List.of(component));
        card.put("voxelSize", Map.of("x", voxelNm, "y", voxelNm, "z", 50.0, "unit", "nm"));
        card.put("scores", Map.of("dice", 0.9));
        card.put("tier", id.startsWith("membrane") ? "accurate" : "fast");
        card.put("msPerTile", id.startsWith("membrane") ? 210.5 : 41.2);
        return new ModelRegistered(id, "1", "models/" + id + "/1/", card, published, Instant.now(), owner);
    }

    private static void sendDataset(DatasetRegistered event) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.settings().kafkaBootstrap());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DATASETS_REGISTERED.name(), event.datasetId(), EventJson.toBytes(event)));
        }
    }

    private static void send(ModelRegistered event) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.settings().kafkaBootstrap());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS_REGISTERED.name(), event.modelId(), EventJson.toBytes(event)));
        }
    }
}
