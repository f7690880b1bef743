package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.testing.TestPackages;

/**
 * The web page in a real browser (Debian's Chromium, headless, kept offline) over the whole stack: upload a stack,
 * pick the test model, watch the progress, see the overlay, and open the share link in a fresh browser context (no
 * session cookie) as a read-only viewer. A screenshot of each step lands in {@code target/screenshots}.
 */
class WebPageIT {
    private static final String MODEL = "skeleton-smooth";
    /** Debian's package; another build can be named with -Dzooscope.chromium=... */
    static final Path CHROMIUM = Path.of(System.getProperty("zooscope.chromium", "/usr/bin/chromium"));
    /** Keeps Chromium from reaching out: no DNS but localhost, no updates, no sync (stack-notes §4). */
    static final List<String> OFFLINE_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost");
    private static final Path SHOTS = Path.of("target", "screenshots");

    private static RunningStack stack;
    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        // fail, never skip, when the browser is missing: a skipped UI test would pass unseen
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is needed at " + CHROMIUM
                + ": apt-get install -y --no-install-recommends chromium").isTrue();
        stack = RunningStack.get();
        stack.stack.seedModels(Path.of(WebPageIT.class.getResource("/models").toURI()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/" + MODEL, null).status()).isEqualTo(200));
        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(OFFLINE_FLAGS));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void uploadPickRunSeeTheOverlayAndShare() throws URISyntaxException {
        BrowserContext owner = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
        Page page = owner.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(stack.gateway() + "/");

        // upload: the file chooser behind the drop zone
        page.setInputFiles("#file-input", Path.of(WebPageIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI()));
        page.waitForSelector("#upload-summary:not([hidden])");
        assertThat(page.textContent("#upload-summary")).contains("300 × 220 pixels, 3 slices");
        shot(page, "1-uploaded");

        // pick the model from its card
        page.check("input[data-model='" + MODEL + "']");
        assertThat(page.isEnabled("#run")).isTrue();
        assertThat(page.textContent("#estimate")).contains("Estimated time");
        shot(page, "2-model-picked");

        // run and watch the progress
        page.selectOption("#s-aug", "none");
        page.uncheck("#s-enhance");
        page.click("#run");
        page.waitForSelector("#step-progress:not([hidden])");
        shot(page, "3-progress");

        // the overlay appears when the job is done
        page.waitForSelector("#step-viewer:not([hidden])", new Page.WaitForSelectorOptions().setTimeout(180_000));
        waitForSlice(page, "overlay");
        assertThat(page.textContent("#job-state")).isEqualTo("SUCCEEDED");
        page.waitForSelector("#step-downloads:not([hidden]) #downloads li");
        assertThat(page.textContent("#downloads")).contains("probabilities.tif", "bundle.zip");
        assertThat(page.textContent("#curl")).contains("/api/v1/jobs", MODEL);
        page.locator("#step-viewer").scrollIntoViewIfNeeded();
        shot(page, "4-overlay");

        // the share link, opened by someone else: a fresh context has no session cookie
        String share = page.inputValue("#share-url");
        assertThat(share).contains("/view/").contains("token=");
        BrowserContext stranger = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
        Page other = stranger.newPage();
        other.setDefaultTimeout(30_000);
        other.navigate(share);
        other.waitForSelector("#step-viewer:not([hidden])");
        waitForSlice(other, "overlay");
        assertThat(other.isVisible("#shared-banner")).isTrue();
        assertThat(other.isVisible("#step-upload")).isFalse();
        assertThat(other.isVisible("#cancel")).isFalse();
        shot(other, "5-shared-view");
        // and the stranger (a session of their own, from visiting the page) cannot read the job without the token
        assertThat(other.evaluate("fetch('/api/v1/jobs/' + location.pathname.split('/')[2]).then(r => r.status)"))
                .isEqualTo(404);
        stranger.close();
        owner.close();
    }

    /**
     * A biologist's second visit, with the real zoo: the upload shown before anything runs, partial-word search, a
     * card's scores as a table, two structures in their own colours with a toggle each, the measurements, a model
     * package dropped on the page (a broken one gets its problems listed, a valid one its card).
     */
    @Test
    void twoStructuresSearchScoresMeasurementsAndAModelUpload(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        stack.stack.seedModels(Path.of(System.getProperty("zooscope.root", "..")).resolve("zoo").toAbsolutePath());
        BrowserContext owner = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
        Page page = owner.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(stack.gateway() + "/");

        // look before computing: the uploaded stack is shown, slice by slice
        page.setInputFiles("#file-input", Path.of(WebPageIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI()));
        page.waitForSelector("#input-preview:not([hidden])");
        page.waitForFunction("() => { const i = document.getElementById('in-img'); return i.complete && i.naturalWidth === 300; }");
        page.fill("#in-z", "2");
        page.dispatchEvent("#in-z", "input");
        assertThat(page.textContent("#in-z-out")).isEqualTo("3 / 3");
        shot(page, "6-input-preview");

        // search by the start of a word and by a synonym
        // (the zoo was just seeded: retry until the indexer has it)
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            page.fill("#model-q", "");
            page.fill("#model-q", "mito");
            page.waitForFunction("() => document.querySelectorAll('input[data-model]').length === 4", null,
                    new Page.WaitForFunctionOptions().setTimeout(3000));
            assertThat(modelIds(page)).containsExactlyInAnyOrder("mito-sbem-2d", "mito-sbem-3f", "mito-sbem-5f",
                    "mito-sbem-2d-accurate");
        });
        page.fill("#model-q", "mitochondrion");
        page.waitForFunction("() => document.querySelectorAll('input[data-model]').length === 4");
        assertThat(modelIds(page)).allMatch(id -> id.startsWith("mito-"));
        // the accurate tier is a facet and a tag on its card
        page.selectOption("#f-tier", "accurate");
        page.waitForFunction("() => document.querySelectorAll('input[data-model]').length === 1");
        assertThat(modelIds(page)).containsExactly("mito-sbem-2d-accurate");
        assertThat(page.textContent("label.model")).contains("accurate tier");
        page.selectOption("#f-tier", "");
        page.waitForFunction("() => document.querySelectorAll('input[data-model]').length === 4");
        // a card's measured quality reads as a table of numbers
        page.click("label.model:has(input[data-model='mito-sbem-2d']) details.more summary");
        String scores = page.textContent("label.model:has(input[data-model='mito-sbem-2d']) table.scores");
        assertThat(scores).contains("IoU").containsPattern("0\\.\\d\\d").doesNotContain("object");
        page.check("input[data-model='mito-sbem-2d']");
        page.locator("#step-models").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(SHOTS.resolve("7-search-and-scores.png")));
        page.fill("#model-q", "isbi");
        page.waitForFunction("() => [...document.querySelectorAll('input[data-model]')].every(i => i.dataset.model.startsWith('membrane-'))");
        page.check("input[data-model='membrane-isbi-2d']");

        page.selectOption("#s-aug", "none");
        page.click("#run");
        page.waitForSelector("#step-viewer:not([hidden])", new Page.WaitForSelectorOptions().setTimeout(180_000));
        waitForSlice(page, "overlay");
        // two structures, each in its own colour, both drawn
        List<String> colours = page.locator("#legend .swatch").evaluateAll("els => els.map(e => getComputedStyle(e).backgroundColor)")
                instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        assertThat(colours).hasSize(2).doesNotHaveDuplicates();
        Map<String, Object> counts = colourCounts(page);
        assertThat(((Number) counts.get("0")).intValue()).as("pixels in mitochondria's colour").isGreaterThan(50);
        assertThat(((Number) counts.get("1")).intValue()).as("pixels in membranes' colour").isGreaterThan(50);
        page.locator("#step-viewer").scrollIntoViewIfNeeded();
        shot(page, "8-two-structures");
        // the membranes toggled off: their colour is gone, the mitochondria stay
        page.click("#legend input[data-structure='membranes']");
        page.waitForFunction("() => document.querySelector('#viewports img.slice').src.includes('structures=mitochondria')"
                + " && document.querySelector('#viewports img.slice').complete");
        Map<String, Object> after = colourCounts(page);
        assertThat(((Number) after.get("1")).intValue()).as("membranes hidden").isZero();
        assertThat(((Number) after.get("0")).intValue()).as("mitochondria still shown").isGreaterThan(50);
        shot(page, "9-membranes-hidden");

        // measurements: a summary and a histogram per structure
        page.waitForSelector("#step-measure:not([hidden]) .measure[data-structure='mitochondria'] svg.histogram");
        assertThat(page.textContent(".measure[data-structure='mitochondria'] .measure-summary")).containsPattern("\\d+ objects?");
        page.locator("#step-measure").scrollIntoViewIfNeeded();
        shot(page, "10-measurements");

        // contribute a model: a broken package gets its problems listed, a valid one is in the zoo at once
        page.click("#step-contribute summary");
        Path broken = tmp.resolve("broken.zip");
        Files.writeString(broken, "this is not a zip");
        page.setInputFiles("#mu-input", broken);
        page.waitForSelector("#mu-report ol.problems li");
        assertThat(page.textContent("#mu-report")).contains("not accepted");
        shot(page, "11-model-upload-refused");
        Path valid = TestPackages.of("/models/skeleton-smooth").editDescription("id: skeleton-smooth", "id: page-upload")
                .zip(tmp.resolve("page-upload.zip"));
        page.setInputFiles("#mu-input", valid);
        page.waitForSelector("#mu-report .ok", new Page.WaitForSelectorOptions().setTimeout(120_000));
        assertThat(page.textContent("#mu-report")).contains("passed every check");
        page.locator("#step-contribute").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(SHOTS.resolve("12-model-upload-accepted.png")));
        owner.close();
    }

    /**
     * Jobs made with the API token from a terminal, looked at in a browser bound to that token: beyond the running
     * limit a job is shown QUEUED with its place in the one queue, not as running.
     */
    @Test
    void aWaitingJobIsShownQueuedWithItsPlace() throws Exception {
        stack.stack.seedModels(Path.of(System.getProperty("zooscope.root", "..")).resolve("zoo").toAbsolutePath());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/mito-sbem-2d", null).status()).isEqualTo(200));
        String upload = EventJson.mapper().readTree(Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN,
                Path.of(WebPageIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI())).body()).get("id").asText();
        List<String> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) { // two run at once (the stack's default); the later ones wait their turn
            Http.Response r = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN, "{\"input\":{\"uploadId\":\""
                    + upload + "\"},\"models\":[\"mito-sbem-2d\",\"membrane-isbi-2d\"],\"augmentation\":\"full\"}");
            assertThat(r.status()).isEqualTo(202);
            jobs.add(EventJson.mapper().readTree(r.body()).get("id").asText());
        }
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(stack.gateway() + "/");
        // the page takes on the token's identity, so the token's jobs are the page's
        assertThat(page.evaluate("t => fetch('/api/v1/session', {method: 'POST', headers: {Authorization: 'Bearer ' + t}})"
                + ".then(r => r.status)", RunningStack.TOKEN)).isEqualTo(200);
        page.navigate(stack.gateway() + "/?job=" + jobs.get(5));
        page.waitForFunction("() => document.getElementById('job-state').textContent === 'QUEUED'"
                + " && /^\\d+$/.test(document.getElementById('job-queue').textContent)");
        assertThat(Integer.parseInt(page.textContent("#job-queue"))).isBetween(1, 4);
        assertThat(page.textContent("#identity")).contains("API token");
        shot(page, "13-queued");
        // and its turn comes
        page.waitForSelector("#step-viewer:not([hidden])", new Page.WaitForSelectorOptions().setTimeout(300_000));
        assertThat(page.textContent("#job-state")).isEqualTo("SUCCEEDED");
        context.close();
    }

    private static List<String> modelIds(Page page) {
        return page.locator("input[data-model]").evaluateAll("els => els.map(e => e.dataset.model)") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** How many pixels of the first viewport are each legend colour (index in the legend → count), read in the page. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> colourCounts(Page page) {
        return (Map<String, Object>) page.evaluate("async () => {"
                + " const img = document.querySelector('#viewports img.slice'); await img.decode();"
                + " const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;"
                + " const g = c.getContext('2d'); g.drawImage(img, 0, 0); const d = g.getImageData(0, 0, c.width, c.height).data;"
                + " const cols = [...document.querySelectorAll('#legend .swatch')].map(e => getComputedStyle(e).backgroundColor"
                + "   .match(/\\d+/g).map(Number));"
                + " const counts = {}; cols.forEach((_, k) => counts[k] = 0);"
                // a structure's pixels are the grey image blended with its colour: the hue decides (channels' order)
                + " for (let i = 0; i < d.length; i += 4) { const p = [d[i], d[i+1], d[i+2]];"
                + "   cols.forEach((col, k) => { const hi = col.map(v => v > 128); const ok = p.every((v, j) => hi[j] ? v > 90 : true)"
                + "     && p.some((v, j) => hi[j]) && Math.min(...p.filter((v, j) => hi[j])) - Math.max(0, ...p.filter((v, j) => !hi[j])) > 60;"
                + "     if (ok) counts[k]++; }); }"
                + " return counts; }");
    }

    /** Waits until every viewport shows a decoded image of this layer (the gateway renders it from the results). */
    private static void waitForSlice(Page page, String layer) {
        page.waitForFunction("layer => { const imgs = [...document.querySelectorAll('#viewports img.slice')];"
                + " return imgs.length > 0 && imgs.every(i => i.dataset.layer === layer && i.complete && i.naturalWidth > 0); }",
                layer, new Page.WaitForFunctionOptions().setTimeout(60_000));
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
