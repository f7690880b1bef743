package org.zooscope.gateway.modelupload;

import java.util.Locale;

/**
 * Model ids as Zooscope uses them in S3 keys, URLs and Kafka keys: lower case, {@code [a-z0-9._-]}. Ecosystem ids can
 * hold other characters (a Zenodo DOI has slashes); they are mapped, always the same way, so the id stays stable.
 */
public final class ModelIds {
    private ModelIds() {
    }

    public static String of(String declared) {
        String id = declared.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return id.length() > 96 ? id.substring(0, 96) : id;
    }
}
