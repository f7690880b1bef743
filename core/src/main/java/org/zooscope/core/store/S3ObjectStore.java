package org.zooscope.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} on an S3-compatible server, path-style (as local servers need). Thread-safe. */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    /** Multipart part size: above S3's 5 MiB minimum, well below a small heap. */
    static final int PART_BYTES = 8 << 20;
    static final int FIRST_BUFFER_BYTES = 64 << 10;

    private final S3Client s3;
    private final String bucket;
    /** Sends writers' parts (one in flight per writer); daemon threads, created as needed and dropped when idle. */
    private final java.util.concurrent.ExecutorService parts = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "s3-part-sender");
        t.setDaemon(true);
        return t;
    });

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static S3ObjectStore connect(S3Settings settings) {
        var builder = S3Client.builder()
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                // a CRC of every body sent and received only where S3 requires one: the extra checksums were a
                // visible share of every service's CPU (TCP, and TLS where used, already guard the bytes)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!settings.signPayloads()) {
            builder.putAuthScheme(UnsignedPayloadSigner.scheme());
        }
        S3Client client = builder.build();
        return new S3ObjectStore(client, settings.bucket());
    }

    public S3Client client() {
        return s3;
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception missing) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException raced) {
                // another process created it between the two calls: fine
            }
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    @Override
    public void put(String key, Path file, String contentType) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    /**
     * A multipart upload in {@link #PART_BYTES} parts, started only once a part is full (small objects: one PUT). The
     * part's buffer grows with what is written, from {@link #FIRST_BUFFER_BYTES}: a full-size buffer for every writer
     * made 200 uploads of 130 KB at once allocate 1.6 GB, straight into the old generation, and the gateway stopped in
     * full collections for up to 0.9 s ({@code system-tests/load}). A full part is sent on another thread while the
     * next one fills (at most one in flight, so two part buffers per writer): the writer's caller — an upload being
     * received — is not held up for every part's round trip to the store.
     */
    @Override
    public ObjectWriter writer(String key, String contentType) {
        return new ObjectWriter() {
            private byte[] part = new byte[FIRST_BUFFER_BYTES];
            private byte[] spare;
            private final List<CompletedPart> done = new ArrayList<>();
            private java.util.concurrent.Future<CompletedPart> inFlight;
            private int filled;
            private long total;
            private String uploadId;

            @Override
            public void write(byte[] bytes, int off, int len) {
                while (len > 0) {
                    int n = Math.min(len, PART_BYTES - filled);
                    if (filled + n > part.length) {
                        part = java.util.Arrays.copyOf(part, Math.min(PART_BYTES, Math.max(2 * part.length, filled + n)));
                    }
                    System.arraycopy(bytes, off, part, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == PART_BYTES) {
                        sendPart();
                    }
                }
            }

            /** Hands the filled buffer to the sender and continues in the spare one (the one the last part used). */
            private void sendPart() {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
                }
                awaitInFlight();
                int number = done.size() + 1;
                byte[] bytes = part;
                int length = filled;
                String id = uploadId;
                inFlight = parts.submit(() -> {
                    String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(number),
                            RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(bytes, 0, length),
                                    length, "application/octet-stream")).eTag();
                    return CompletedPart.builder().partNumber(number).eTag(etag).build();
                });
                total += filled;
                filled = 0;
                part = spare != null ? spare : new byte[PART_BYTES];
                spare = bytes;
            }

            private void awaitInFlight() {
                if (inFlight == null) {
                    return;
                }
                try {
                    done.add(inFlight.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while a part of " + key + " was sent", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } finally {
                    inFlight = null;
                }
            }

            @Override
            public long finish() {
                if (uploadId == null) {
                    s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType),
                            RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled)));
                    return filled;
                }
                if (filled > 0) {
                    sendPart();
                }
                awaitInFlight();
                s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(done)));
                return total;
            }

            @Override
            public void abort() {
                if (inFlight != null) {
                    inFlight.cancel(true);
                    try {
                        inFlight.get();
                    } catch (Exception ignored) {
                        // the upload is being dropped: its part's outcome does not matter
                    }
                    inFlight = null;
                }
                if (uploadId != null) {
                    String id = uploadId;
                    uploadId = null;
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id));
                }
            }
        };
    }

    @Override
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(key);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(key);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(key);
        }
    }

    @Override
    public Optional<Long> size(String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).forEach(keys::add);
        return keys;
    }

    @Override
    public java.util.SortedSet<String> children(String prefix) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).delimiter("/"))) {
            page.commonPrefixes().forEach(p -> out.add(p.prefix().substring(prefix.length(), p.prefix().length() - 1)));
            page.contents().forEach(o -> out.add(o.key().substring(prefix.length())));
        }
        return out;
    }

    @Override
    public java.util.SortedMap<String, Long> sizes(String prefix) {
        java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
                .forEach(o -> out.put(o.key(), o.size()));
        return out;
    }

    @Override
    public void deletePrefix(String prefix) {
        List<String> keys = list(prefix);
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch)));
        }
    }

    @Override
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void close() {
        parts.shutdownNow();
        s3.close();
    }
}
