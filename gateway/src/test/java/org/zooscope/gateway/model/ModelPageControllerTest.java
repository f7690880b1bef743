package org.zooscope.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelPageControllerTest {

    @Test
    void theLandingPageShowsTheCardIdentifierExamplesScoresAndDownload() {
        String html = ModelPageController.render(Map.of("id", "mito-em", "name", "Mito EM", "version", "2",
                "identifier", "https://doi.org/10.80000/zooscope.mito-em.v2", "doi", "10.80000/zooscope.mito-em.v2",
                "modality", "electron microscopy", "scores", Map.of("dice", 0.91),
                "authors", List.of(Map.of("name", "Ada")), "cite", List.of(Map.of("text", "U-Net", "doi", "10.1007/x"))));

        assertThat(html).contains("<h1>Mito EM</h1>").contains("https://doi.org/10.80000/zooscope.mito-em.v2")
                .contains("/api/v1/models/mito-em/package.zip").contains("/api/v1/models/mito-em/examples/input.png")
                .contains("/api/v1/models/mito-em/examples/output.png").contains("<th>dice</th><td>0.91</td>")
                .contains("<li>Ada</li>").contains("doi:10.1007/x");
    }

    @Test
    void whatAnUploaderWroteIsEscaped() {
        String html = ModelPageController.render(Map.of("id", "x", "name", "<script>alert(1)</script>",
                "description", "a & b"));

        assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;").contains("a &amp; b");
    }
}
