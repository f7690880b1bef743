package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.store.S3Settings;

/**
 * The stack's S3 server takes what every service sends, with request bodies in the SigV4 signature or left out of it
 * (the default, {@code UnsignedPayloadSigner}): a single PUT, a multipart upload of two parts, a ranged GET, and a
 * DeleteObjects (which carries the checksum S3 requires, and so is signed as the SDK signs it).
 */
class ObjectStoreIT {

    @ParameterizedTest(name = "bodies signed: {0}")
    @ValueSource(booleans = {false, true})
    void everyKindOfRequestIsAcceptedAndRoundTrips(boolean signBodies) throws Exception {
        S3Settings local = RunningStack.get().settings.s3();
        S3Settings s3 = new S3Settings(local.endpoint(), local.accessKey(), local.secretKey(), local.bucket(),
                local.region(), signBodies);
        String prefix = "it/object-store-" + signBodies + "/";
        byte[] small = "a plane's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] large = new byte[(9 << 20) + 123]; // over one 8 MiB part: a multipart upload
        new Random(7).nextBytes(large);
        try (S3ObjectStore store = S3ObjectStore.connect(s3)) {
            store.put(prefix + "small", small, "application/octet-stream");
            ObjectStore.ObjectWriter w = store.writer(prefix + "large", "application/octet-stream");
            w.write(large, 0, 1000);
            w.write(large, 1000, large.length - 1000);
            assertThat(w.finish()).isEqualTo(large.length);

            assertThat(store.get(prefix + "small")).isEqualTo(small);
            assertThat(store.get(prefix + "large")).isEqualTo(large);
            try (InputStream in = store.open(prefix + "large", 8L << 20, 4096)) {
                assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(large, 8 << 20, (8 << 20) + 4096));
            }

            store.deletePrefix(prefix);
            assertThat(store.list(prefix)).isEmpty();
        }
    }
}
