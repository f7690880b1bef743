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

/**
 * The web page in a real browser (Debian's Chromium, headless, kept offline) over the whole stack: upload a stack,
 * pick the test model, watch the progress, see the overlay, and open the share link in a fresh browser context (no
 * session cookie) as a read-only viewer. A screenshot of each step lands in {@code target/screenshots}.
 */
class WebPageIT {
    private static final String MODEL = "skeleton-smooth";
    /** Debian's package; another build can be named with -Dzooscope.chromium=... */
    private static final Path CHROMIUM = Path.of(System.getProperty("zooscope.chromium", "/usr/bin/chromium"));
    /** Keeps Chromium from reaching out: no DNS but localhost, no updates, no sync (stack-notes §4). */
    private static final List<String> OFFLINE_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
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
