package org.zooscope.core.store;

import java.net.URI;
import java.util.Map;

/**
 * How to reach the S3-compatible store. Defaults are the local stack's; every field can be set by environment
 * variable ({@code ZOOSCOPE_S3_ENDPOINT}, {@code ZOOSCOPE_S3_ACCESS_KEY}, {@code ZOOSCOPE_S3_SECRET_KEY},
 * {@code ZOOSCOPE_S3_BUCKET}, {@code ZOOSCOPE_S3_REGION}).
 */
public record S3Settings(URI endpoint, String accessKey, String secretKey, String bucket, String region) {
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";
    public static final String DEFAULT_ACCESS_KEY = "zooscope-local";
    public static final String DEFAULT_SECRET_KEY = "zooscope-local-secret";
    public static final String DEFAULT_BUCKET = "zooscope";
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        if (endpoint == null || endpoint.getScheme() == null) {
            throw new IllegalArgumentException("S3 endpoint must be an absolute URI but was " + endpoint);
        }
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("S3 bucket name is not valid: " + bucket);
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key and secret must be set");
        }
    }

    public static S3Settings fromEnvironment(Map<String, String> env) {
        return new S3Settings(URI.create(env.getOrDefault("ZOOSCOPE_S3_ENDPOINT", DEFAULT_ENDPOINT)),
                env.getOrDefault("ZOOSCOPE_S3_ACCESS_KEY", DEFAULT_ACCESS_KEY),
                env.getOrDefault("ZOOSCOPE_S3_SECRET_KEY", DEFAULT_SECRET_KEY),
                env.getOrDefault("ZOOSCOPE_S3_BUCKET", DEFAULT_BUCKET),
                env.getOrDefault("ZOOSCOPE_S3_REGION", DEFAULT_REGION));
    }

    public static S3Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }
}
