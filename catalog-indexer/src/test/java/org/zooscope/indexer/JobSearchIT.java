package org.zooscope.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.zooscope.core.catalog.CatalogIndex;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.JobCompleted;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.Region;
import org.zooscope.indexer.index.CatalogWriter;
import org.zooscope.indexer.index.IndexInitializer;
import org.zooscope.catalog.OpenSearchClients;
import org.zooscope.catalog.search.JobSearch;
import org.zooscope.infra.stack.LocalStack;
import org.zooscope.infra.stack.OpenSearchServer;
import org.zooscope.infra.stack.StackSettings;

/**
 * Finished jobs against a real OpenSearch (only that server: the documents are written as the indexer writes them):
 * the jobs near a point of a dataset are the owner's whose region contains the slice and comes within the margin,
 * plus full runs, nearest first, the same set {@link Region#near} picks; past runs of a model for estimates; and an
 * index made with the mapping before regions were indexed counts as outdated (so the indexer rebuilds it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobSearchIT {
    private static final String ALICE = "a".repeat(64);
    private static final String BOB = "b".repeat(64);
    private static final String DATASET = "sbem-cortex";
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private static OpenSearchServer openSearch;
    private static OpenSearchClient client;
    private static JobSearch search;
    private static final List<JobCompleted> JOBS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("zooscope.root", "..")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("zooscope.it.dir", "target/it")).toAbsolutePath().resolve("jobsearch");
        StackSettings settings = StackSettings.forTests(root, state);
        openSearch = LocalStack.fresh(settings).servers().stream().filter(OpenSearchServer.class::isInstance)
                .map(OpenSearchServer.class::cast).findFirst().orElseThrow();
        openSearch.start();
        LocalStack.awaitReady(List.of(openSearch), Duration.ofSeconds(180));
        openSearch.configureSingleNode();
        client = OpenSearchClients.connect(settings.openSearchUrl());
        IndexInitializer.createIndices(client);
        search = new JobSearch(client);

        // alice's jobs on the dataset, point of interest (1200, 1200, 12)
        add(job("contains", ALICE, DATASET, new Region(1000, 1000, 10, 512, 512, 5), 5, JobState.SUCCEEDED));
        add(job("beside", ALICE, DATASET, new Region(1600, 1000, 10, 256, 256, 5), 6, JobState.SUCCEEDED));
        add(job("failed-above", ALICE, DATASET, new Region(1100, 700, 12, 64, 64, 1), 7, JobState.FAILED));
        add(job("far", ALICE, DATASET, new Region(4000, 4000, 10, 512, 512, 5), 8, JobState.SUCCEEDED));
        add(job("other-z", ALICE, DATASET, new Region(1000, 1000, 20, 512, 512, 5), 9, JobState.SUCCEEDED));
        add(job("full-run", ALICE, DATASET, null, 0, JobState.SUCCEEDED));
        // not alice's, or not on this dataset
        add(job("bobs", BOB, DATASET, new Region(1000, 1000, 10, 512, 512, 5), 10, JobState.SUCCEEDED));
        add(job("bobs-full-run", BOB, DATASET, null, 11, JobState.SUCCEEDED));
        add(job("other-dataset", ALICE, "fib-hela", new Region(1000, 1000, 10, 512, 512, 5), 12, JobState.SUCCEEDED));
        add(new JobCompleted("upload-job", JobState.SUCCEEDED, T0, List.of("mito-sbem-2d"), Map.of(),
                Map.of("slices", 5, "tiles", 5, "inferenceSeconds", 1.0), null, new JobInput("u-1", null), ALICE,
                Augmentation.NONE));
        CatalogWriter writer = new CatalogWriter(client);
        JOBS.forEach(writer::job);
        client.indices().refresh(r -> r.index(CatalogIndex.JOBS.indexName()));
    }

    @AfterAll
    static void stop() {
        if (openSearch != null) {
            openSearch.stop();
        }
    }

    @Test
    @Order(1)
    void findsTheOwnersJobsNearThePointNearestFirstWithFullRuns() {
        JobSearch.Page page = search.near(new JobSearch.Near(DATASET, 1200, 1200, 12, 512, ALICE, 0, 50));

        assertThat(page.items()).extracting(JobSearch.Found::jobId)
                .as("inside first (newest first among them), then by distance")
                .containsExactly("contains", "full-run", "beside", "failed-above");
        assertThat(page.total()).isEqualTo(4);
        JobSearch.Found beside = page.items().get(2);
        assertThat(beside.distance()).isEqualTo(400);
        assertThat(beside.roi()).isEqualTo(new Region(1600, 1000, 10, 256, 256, 5));
        assertThat(beside.models()).containsExactly("mito-sbem-2d");
        assertThat(beside.augmentation()).isEqualTo("none");
        assertThat(page.items().get(1).roi()).as("a full run has no region").isNull();
        assertThat(page.items().get(3).state()).isEqualTo(JobState.FAILED);
        assertThat(page.items().get(3).distance()).isEqualTo(JobSearch.distance(new Region(1100, 700, 12, 64, 64, 1), 1200, 1200));
    }

    @Test
    @Order(2)
    void theIndexPicksWhatRegionNearPicksAtTheEdges() {
        int[][] points = {{1200, 1200, 10}, {1200, 1200, 14}, {1200, 1200, 15}, {1200, 1200, 9}, {487, 1200, 12},
                {488, 1200, 12}, {1511 + 512, 1200, 12}, {1511 + 513, 1200, 12}, {1200, 1511 + 512, 12},
                {1200, 1511 + 513, 12}, {3500, 3500, 12}, {0, 0, 0}};
        for (int[] p : points) {
            List<String> expected = new ArrayList<>();
            for (JobCompleted j : JOBS) {
                if (ALICE.equals(j.ownerHash()) && DATASET.equals(j.input().datasetId())
                        && (j.input().roi() == null || j.input().roi().near(p[0], p[1], p[2], 512))) {
                    expected.add(j.jobId());
                }
            }
            List<String> found = search.near(new JobSearch.Near(DATASET, p[0], p[1], p[2], 512, ALICE, 0, 50)).items()
                    .stream().map(JobSearch.Found::jobId).toList();
            assertThat(found).as("point %d, %d, %d", p[0], p[1], p[2]).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    @Order(3)
    void theMarginAndThePageAreTheCallers() {
        assertThat(search.near(new JobSearch.Near(DATASET, 1200, 1200, 12, 0, ALICE, 0, 50)).items())
                .extracting(JobSearch.Found::jobId).containsExactly("contains", "full-run");
        JobSearch.Page second = search.near(new JobSearch.Near(DATASET, 1200, 1200, 12, 512, ALICE, 1, 2));
        assertThat(second.items()).extracting(JobSearch.Found::jobId).containsExactly("full-run", "beside");
        assertThat(second.total()).isEqualTo(4);
        assertThat(search.near(new JobSearch.Near("no-such-dataset", 1, 1, 1, 512, ALICE, 0, 50)).total()).isZero();
    }

    @Test
    @Order(4)
    void pastRunsOfAModelAreItsSuccessfulMeasuredJobsNewestFirst() {
        CatalogWriter writer = new CatalogWriter(client);
        writer.job(run("r-old", List.of("membrane-isbi-2d"), Augmentation.NONE, 20, 4.0, 100, JobState.SUCCEEDED));
        writer.job(run("r-new", List.of("membrane-isbi-2d", "mito-sbem-2d"), Augmentation.FULL, 10, 16.0, 200,
                JobState.SUCCEEDED));
        writer.job(run("r-failed", List.of("membrane-isbi-2d"), Augmentation.NONE, 20, 4.0, 300, JobState.FAILED));
        writer.job(new JobCompleted("r-unmeasured", JobState.SUCCEEDED, T0.plusSeconds(400), List.of("membrane-isbi-2d"),
                Map.of(), Map.of("tiles", 3, "seconds", 2.0), null, new JobInput("u-2", null), ALICE, Augmentation.NONE));

        List<JobSearch.PastRun> runs = await().atMost(Duration.ofSeconds(30))
                .until(() -> search.pastRuns("membrane-isbi-2d", 10), r -> r.size() == 2);

        assertThat(runs).extracting(JobSearch.PastRun::jobId).containsExactly("r-new", "r-old");
        assertThat(runs.get(0)).isEqualTo(new JobSearch.PastRun("r-new", List.of("membrane-isbi-2d", "mito-sbem-2d"),
                "full", 10, 16.0, T0.plusSeconds(200)));
        assertThat(search.pastRuns("membrane-isbi-2d", 1)).extracting(JobSearch.PastRun::jobId).containsExactly("r-new");
        assertThat(search.pastRuns("nobody-ran-this", 10)).isEmpty();
    }

    @Test
    @Order(5)
    void anIndexMadeWithTheMappingBeforeRegionsIsOutdated() throws Exception {
        assertThat(IndexInitializer.outdated(client)).isFalse();
        client.indices().delete(d -> d.index(CatalogIndex.JOBS.indexName()));
        String old = "{\"dynamic\": false, \"properties\": {\"jobId\": {\"type\": \"keyword\"},"
                + " \"stats\": {\"type\": \"object\", \"enabled\": false}}}";
        var mapper = client._transport().jsonpMapper();
        TypeMapping mapping = TypeMapping._DESERIALIZER.deserialize(
                mapper.jsonProvider().createParser(new StringReader(old)), mapper);
        client.indices().create(c -> c.index(CatalogIndex.JOBS.indexName()).mappings(mapping));

        assertThat(IndexInitializer.outdated(client)).isTrue();
        IndexInitializer.recreateIndices(client);
        assertThat(IndexInitializer.outdated(client)).isFalse();
    }

    private static void add(JobCompleted job) {
        JOBS.add(job);
    }

    private static JobCompleted job(String id, String owner, String dataset, Region roi, int minutes, JobState state) {
        return new JobCompleted(id, state, T0.plusSeconds(60L * minutes), List.of("mito-sbem-2d"), Map.of(),
                Map.of("slices", roi == null ? 400 : roi.depth(), "tiles", 10, "seconds", 5.0, "inferenceSeconds", 3.0),
                state == JobState.FAILED ? "a tile failed" : null, new JobInput(null, dataset, roi), owner,
                Augmentation.NONE);
    }

    private static JobCompleted run(String id, List<String> models, Augmentation augmentation, int tiles,
                                    double inferenceSeconds, int second, JobState state) {
        return new JobCompleted(id, state, T0.plusSeconds(second), models, Map.of(),
                Map.of("slices", 1, "tiles", tiles, "seconds", inferenceSeconds + 1, "inferenceSeconds", inferenceSeconds),
                null, new JobInput("u-" + id, null), ALICE, augmentation);
    }
}
