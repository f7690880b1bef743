package org.zooscope.gateway.model;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.catalog.search.ModelSearch;

/** A stored model's files, for the card, the download and the landing page, shown only to whom may see the model. */
@Component
class ModelFiles {
    private final ModelSearch search;
    private final ObjectStore store;

    ModelFiles(ModelSearch search, ObjectStore store) {
        this.search = search;
        this.store = store;
    }

    /** The indexed document, if {@code viewer} may see it (a private model is 404 to others: its existence is private too). */
    Map<String, Object> visibleDoc(String id, String viewer) {
        return search.get(id).filter(doc -> ModelSearch.visible(doc, viewer))
                .orElseThrow(() -> ApiProblem.notFound("model '" + id + "' is not in the zoo"));
    }

    static Map<String, Object> publicCard(Map<String, Object> doc) {
        Map<String, Object> card = new LinkedHashMap<>(doc);
        card.remove("packageKey");
        card.remove("owner");
        return card;
    }

    byte[] packageZip(Map<String, Object> doc) throws IOException {
        String prefix = String.valueOf(doc.get("packageKey"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String key : store.list(prefix)) {
                zip.putNextEntry(new ZipEntry(key.substring(prefix.length())));
                zip.write(store.get(key));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The first channel of the test input or output as an 8-bit grey PNG, stretched to its own range. */
    byte[] examplePng(Map<String, Object> doc, boolean input) throws IOException {
        String prefix = String.valueOf(doc.get("packageKey"));
        ModelDescription d;
        try {
            d = ModelDescriptionParser.parse(new ByteArrayInputStream(store.get(prefix + "bioimageio.yaml")));
        } catch (InvalidModelPackageException e) {
            throw ApiProblem.notFound("model '" + doc.get("id") + "' has no readable description");
        }
        ModelDescription.FileRef ref = input ? d.testInput() : d.testOutput();
        NpyArray a = NpyArray.read(store.get(prefix + ref.source().replaceFirst("^\\./", "")));
        long[] s = a.shape();
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        float[] data = a.data();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < w * h; i++) {
            lo = Math.min(lo, data[i]);
            hi = Math.max(hi, data[i]);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            px[i] = (byte) Math.round(hi > lo ? (data[i] - lo) / (hi - lo) * 255 : 0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
