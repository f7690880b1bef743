package org.zooscope.gateway.model;

import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /models/{id}}: the landing page a model's identifier resolves to: its card, metadata, citable identifier
 * and how to cite it, example input and output, measured scores and a download. Plain server-rendered HTML, so it
 * works for citation crawlers and without JavaScript.
 */
@RestController
class ModelPageController {
    private final ModelFiles files;

    ModelPageController(ModelFiles files) {
        this.files = files;
    }

    @GetMapping(path = "/models/{id}", produces = MediaType.TEXT_HTML_VALUE)
    Mono<String> page(@PathVariable String id, ServerWebExchange exchange) {
        String viewer = ModelController.viewer(exchange);
        return Mono.fromCallable(() -> render(ModelFiles.publicCard(files.visibleDoc(id, viewer))))
                .subscribeOn(Schedulers.boundedElastic());
    }

    static String render(Map<String, Object> card) {
        String id = text(card.get("id"));
        String api = "/api/v1/models/" + id;
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(text(card.get("name")))
                .append(" · Zooscope model zoo</title>")
                .append("<meta name=\"citation_title\" content=\"").append(text(card.get("name"))).append("\">")
                .append("<meta name=\"dc.identifier\" content=\"").append(text(card.get("identifier"))).append("\">")
                .append("<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
                        + "th{text-align:left;padding-right:1rem}img{image-rendering:pixelated;width:16rem;border:1px solid #ccc}</style>")
                .append("</head><body>");
        h.append("<h1>").append(text(card.get("name"))).append("</h1>");
        h.append("<p>").append(text(card.get("description"))).append("</p>");
        h.append("<p><strong>Identifier:</strong> <code id=\"identifier\">").append(text(card.get("identifier"))).append("</code>");
        if (card.get("doi") != null) {
            h.append(" · DOI <a href=\"https://doi.org/").append(text(card.get("doi"))).append("\">").append(text(card.get("doi"))).append("</a>");
        }
        h.append("</p>");
        h.append("<p><a id=\"download\" href=\"").append(api).append("/package.zip\">Download the model package (bioimage.io zip)</a>")
                .append(" · <a href=\"").append(api).append("\">card as JSON</a></p>");
        h.append("<h2>Metadata</h2><table>");
        for (String key : List.of("id", "version", "formatVersion", "modality", "component", "organism", "staining", "dims",
                "frames", "tier", "msPerTile", "voxelSize", "license", "tags", "halo", "minSize", "step", "published")) {
            if (card.get(key) != null) {
                h.append("<tr><th>").append(key).append("</th><td>").append(text(card.get(key))).append("</td></tr>");
            }
        }
        h.append("</table>");
        h.append("<h2>Example</h2><figure style=\"display:inline-block\"><img alt=\"example input\" src=\"").append(api)
                .append("/examples/input.png\"><figcaption>test input</figcaption></figure> ")
                .append("<figure style=\"display:inline-block\"><img alt=\"example output\" src=\"").append(api)
                .append("/examples/output.png\"><figcaption>test output</figcaption></figure>");
        if (card.get("scores") instanceof Map<?, ?> scores && !scores.isEmpty()) {
            h.append("<h2>Scores</h2><table>");
            scores.forEach((k, v) -> h.append("<tr><th>").append(text(k)).append("</th><td>").append(text(v)).append("</td></tr>"));
            h.append("</table>");
        }
        h.append("<h2>Authors and citation</h2><ul>");
        if (card.get("authors") instanceof List<?> authors) {
            for (Object a : authors) {
                h.append("<li>").append(text(a instanceof Map<?, ?> m ? m.get("name") : a)).append("</li>");
            }
        }
        h.append("</ul><p>Cite this model version as: ").append(text(card.get("name"))).append(", version ")
                .append(text(card.get("version"))).append(". ").append(text(card.get("identifier"))).append("</p>");
        if (card.get("cite") instanceof List<?> cites && !cites.isEmpty()) {
            h.append("<p>and the work it builds on:</p><ul>");
            for (Object c : cites) {
                if (c instanceof Map<?, ?> m) {
                    h.append("<li>").append(text(m.get("text")));
                    if (m.get("doi") != null) {
                        h.append(" <a href=\"https://doi.org/").append(text(m.get("doi"))).append("\">doi:").append(text(m.get("doi"))).append("</a>");
                    }
                    h.append("</li>");
                }
            }
            h.append("</ul>");
        }
        h.append("</body></html>");
        return h.toString();
    }

    private static String text(Object o) {
        return o == null ? "" : HtmlUtils.htmlEscape(String.valueOf(o));
    }
}
