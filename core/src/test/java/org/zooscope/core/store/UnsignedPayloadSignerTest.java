package org.zooscope.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class UnsignedPayloadSignerTest {
    private static final byte[] BODY = "a plane's bytes".getBytes(StandardCharsets.UTF_8);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T09:00:00Z"), ZoneOffset.UTC);

    private static SignRequest<AwsCredentialsIdentity> put(String protocol, boolean withChecksum) {
        SdkHttpFullRequest http = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).protocol(protocol)
                .host("127.0.0.1").port(9000).encodedPath("/zooscope/jobs/j/input/0.uint8le").build();
        SignRequest.Builder<AwsCredentialsIdentity> b = SignRequest.builder(AwsCredentialsIdentity.create("id", "secret"))
                .request(http)
                .payload(() -> new ByteArrayInputStream(BODY))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, CLOCK)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false);
        if (withChecksum) {
            b.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
        }
        return b.build();
    }

    @Test
    void plainHttpBodyIsLeftOutOfTheSignatureAndTheRequestStaysHttp() {
        SignedRequest signed = new UnsignedPayloadSigner().sign(put("http", false));

        assertThat(signed.request().protocol()).isEqualTo("http");
        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).contains("UNSIGNED-PAYLOAD");
    }

    @Test
    void signatureIsTheOneTheStandardSignerGivesTheSameRequestOverHttps() {
        SignedRequest ours = new UnsignedPayloadSigner().sign(put("http", false));
        SignedRequest standard = AwsV4HttpSigner.create().sign(put("https", false));

        assertThat(ours.request().firstMatchingHeader("Authorization"))
                .isPresent()
                .isEqualTo(standard.request().firstMatchingHeader("Authorization"));
    }

    @Test
    void standardSignerHashesThePlainHttpBodyWhichIsWhatThisAvoids() {
        SignedRequest standard = AwsV4HttpSigner.create().sign(put("http", false));

        assertThat(standard.request().firstMatchingHeader("x-amz-content-sha256")).get().asString()
                .hasSize(64).isNotEqualTo("UNSIGNED-PAYLOAD");
    }

    @Test
    void requestWithARequiredChecksumIsSignedAsTheSdkSignsIt() {
        SignedRequest ours = new UnsignedPayloadSigner().sign(put("http", true));
        SignedRequest standard = AwsV4HttpSigner.create().sign(put("http", true));

        assertThat(ours.request().firstMatchingHeader("x-amz-content-sha256"))
                .isEqualTo(standard.request().firstMatchingHeader("x-amz-content-sha256"))
                .isNotEqualTo(java.util.Optional.of("UNSIGNED-PAYLOAD"));
    }
}
