package org.zooscope.core.store;

import java.net.URI;
import java.util.Map;

/**
 * How to reach the S3-compatible store. Defaults are the local stack's; every field can be set by environment
 * variable ({@code ZOOSCOPE_S3_ENDPOINT}, {@code ZOOSCOPE_S3_ACCESS_KEY}, {@code ZOOSCOPE_S3_SECRET_KEY},
 * {@code ZOOSCOPE_S3_BUCKET}, {@code ZOOSCOPE_S3_REGION}, {@code ZOOSCOPE_S3_SIGN_PAYLOADS}).
 *
 * @param signPayloads whether a request's body is part of its SigV4 signature on plain HTTP. Off by default: the
 *     headers are still signed, and hashing every body twice (client and server) was the largest share of the CPU
 *     the S3 traffic costs (see {@link UnsignedPayloadSigner}). Over HTTPS bodies are never signed.
 */
public record S3Settings(URI endpoint, String accessKey, String secretKey, String bucket, String region,
                         boolean signPayloads) {
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";
    public static final String DEFAULT_ACCESS_KEY = "zooscope-local";
    public static final String DEFAULT_SECRET_KEY = "zooscope-local-secret";
    public static final String DEFAULT_BUCKET = "zooscope";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final boolean DEFAULT_SIGN_PAYLOADS = false;

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
                env.getOrDefault("ZOOSCOPE_S3_REGION", DEFAULT_REGION),
                flag(env, "ZOOSCOPE_S3_SIGN_PAYLOADS", DEFAULT_SIGN_PAYLOADS));
    }

    private static boolean flag(Map<String, String> env, String name, boolean fallback) {
        String value = env.getOrDefault(name, String.valueOf(fallback)).strip();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false but was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** The settings with the default payload signing. */
    public S3Settings(URI endpoint, String accessKey, String secretKey, String bucket, String region) {
        this(endpoint, accessKey, secretKey, bucket, region, DEFAULT_SIGN_PAYLOADS);
    }

    public static S3Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }
}
