package org.zooscope.gateway.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetLayer;
import org.zooscope.core.dataset.PyramidReader;
import org.zooscope.core.events.Region;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.render.StructureColours;
import org.zooscope.core.volume.DataType;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Hashes;
import org.zooscope.catalog.search.DatasetSearch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The hosted datasets: search, one dataset's card with its layers and default contrast, a region's raw voxels as a
 * TIFF, and deep-zoom tiles of the voxels and of each layer for the viewer. Public: datasets are ingested by curators
 * for everyone.
 */
@RestController
class DatasetController {
    private static final MediaType TIFF = MediaType.parseMediaType("image/tiff");

    private final HostedDatasets datasets;
    private final DatasetSearch search;
    private final DatasetProperties props;

    DatasetController(HostedDatasets datasets, DatasetSearch search, DatasetProperties props) {
        this.datasets = datasets;
        this.search = search;
        this.props = props;
    }

    @GetMapping("/api/v1/datasets")
    Mono<Map<String, Object>> list(@RequestParam(required = false) String q,
                                   @RequestParam(required = false) String modality,
                                   @RequestParam(required = false) String organism,
                                   @RequestParam(defaultValue = "0") int from,
                                   @RequestParam(defaultValue = "50") int size) {
        Map<String, String> filters = new LinkedHashMap<>();
        if (modality != null && !modality.isBlank()) {
            filters.put("modality", modality);
        }
        if (organism != null && !organism.isBlank()) {
            filters.put("organism", organism);
        }
        DatasetSearch.Query query;
        try {
            query = new DatasetSearch.Query(q, filters, from, size);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        return Mono.fromCallable(() -> {
            DatasetSearch.Result r = search.search(query);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", r.items().stream().map(datasets::listed).toList());
            body.put("total", r.total());
            body.put("facets", r.facets());
            return body;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/datasets/{id}")
    Mono<Map<String, Object>> card(@PathVariable String id) {
        return Mono.fromCallable(() -> datasets.view(datasets.open(id))).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/datasets/{id}/region.tif")
    Mono<ResponseEntity<Flux<DataBuffer>>> region(@PathVariable String id,
                                                  @RequestParam(required = false) Integer x,
                                                  @RequestParam(required = false) Integer y,
                                                  @RequestParam(required = false) Integer z,
                                                  @RequestParam(required = false) Integer width,
                                                  @RequestParam(required = false) Integer height,
                                                  @RequestParam(required = false) Integer depth,
                                                  ServerWebExchange exchange) {
        StringBuilder missing = new StringBuilder();
        String[] names = {"x", "y", "z", "width", "height", "depth"};
        Integer[] values = {x, y, z, width, height, depth};
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null) {
                missing.append(missing.isEmpty() ? "" : ", ").append(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw ApiProblem.badRequest("a region needs x, y, z, width, height and depth; missing: " + missing);
        }
        Region region = new Region(x, y, z, width, height, depth);
        return Mono.fromCallable(() -> {
            HostedDatasets.Opened o = datasets.open(id);
            DatasetCard card = o.card();
            String problem = region.problemWithin(card.width(), card.height(), card.depth());
            if (problem != null) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, problem + " of dataset '" + id + "'");
            }
            DataType type = DataType.valueOf(card.dtype().toUpperCase(Locale.ROOT));
            long bytes = region.voxels() * type.bytesPerSample();
            long limit = props.maxRegionBytes().toBytes();
            if (bytes > limit) {
                throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "the region " + width + " x " + height + " x " + depth
                        + " is " + bytes + " bytes of " + card.dtype() + " voxels, over the limit of " + limit
                        + " bytes per request; ask for a smaller region, or several");
            }
            org.zooscope.core.volume.Volume volume = o.reader().region(region);
            Flux<DataBuffer> body = Flux.from(DataBufferUtils.outputStreamPublisher(out -> {
                try {
                    TiffWriter.write(volume, out, type, TiffWriter.Compression.DEFLATE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, exchange.getResponse().bufferFactory(), r -> Schedulers.boundedElastic().schedule(r)));
            String name = String.format(Locale.ROOT, "%s-x%d-y%d-z%d-%dx%dx%d.tif", id, x, y, z, width, height, depth);
            return ResponseEntity.ok().contentType(TIFF)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"").body(body);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/datasets/{id}/tiles/{z}/{level}/{tile}")
    Mono<ResponseEntity<byte[]>> tile(@PathVariable String id, @PathVariable int z, @PathVariable int level,
                                      @PathVariable String tile, @RequestParam(required = false) Double min,
                                      @RequestParam(required = false) Double max, ServerWebExchange exchange) {
        if ((min != null && !Double.isFinite(min)) || (max != null && !Double.isFinite(max))) {
            throw ApiProblem.badRequest("min and max must be finite numbers");
        }
        return Mono.fromCallable(() -> {
            HostedDatasets.Opened o = datasets.open(id);
            double lo = min == null ? o.displayMin() : min;
            double hi = max == null ? o.displayMax() : max;
            if (!(hi > lo)) {
                throw ApiProblem.badRequest("the contrast range needs min < max, not min " + lo + ", max " + hi);
            }
            PyramidReader image = o.reader().image();
            DatasetTiles.Tile t = DatasetTiles.locate(image, o.card().levels(), z, level, tile);
            String etag = etag(o.card(), "image", t, lo + "-" + hi);
            if (exchange.checkNotModified(etag)) {
                return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache()).<byte[]>build();
            }
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).eTag(etag).cacheControl(cache())
                    .body(DatasetTiles.grey(image, t, lo, hi));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/datasets/{id}/layers/{jobId}/{structure}/tiles/{z}/{level}/{tile}")
    Mono<ResponseEntity<byte[]>> layerTile(@PathVariable String id, @PathVariable String jobId,
                                           @PathVariable String structure, @PathVariable int z, @PathVariable int level,
                                           @PathVariable String tile, ServerWebExchange exchange) {
        return Mono.fromCallable(() -> {
            HostedDatasets.Opened o = datasets.open(id);
            DatasetLayer layer = o.reader().layer(jobId).orElseThrow(() ->
                    ApiProblem.notFound("dataset '" + id + "' has no layer '" + jobId + "'"));
            PyramidReader probabilities = o.reader().layerImage(layer, structure).orElseThrow(() ->
                    ApiProblem.notFound("layer '" + jobId + "' of dataset '" + id + "' has no structure '" + structure
                            + "' (it has " + layer.structures() + ")"));
            DatasetTiles.Tile t = DatasetTiles.locate(probabilities, o.card().levels(), z, level, tile);
            String etag = etag(o.card(), jobId + "/" + structure, t, "");
            if (exchange.checkNotModified(etag)) {
                return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache()).<byte[]>build();
            }
            int rgb = StructureColours.rgb(Math.max(0, layer.colourIndex(structure)));
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).eTag(etag).cacheControl(cache())
                    .body(DatasetTiles.probability(probabilities, t, rgb));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private CacheControl cache() {
        return CacheControl.maxAge(props.tileMaxAge()).cachePublic();
    }

    /** The same tile of the same dataset (its card's creation time tells a re-ingested id apart) is the same bytes. */
    private static String etag(DatasetCard card, String what, DatasetTiles.Tile t, String contrast) {
        String key = card.id() + "|" + card.createdAt() + "|" + what + "|" + t.z() + "/" + t.level() + "/" + t.col()
                + "_" + t.row() + "|" + contrast;
        return "\"" + Hashes.sha256(key).substring(0, 24) + "\"";
    }
}
