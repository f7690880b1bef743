package org.zooscope.core.store;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.BaseSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 that signs a plain-HTTP request's headers but not its body ({@code x-amz-content-sha256: UNSIGNED-PAYLOAD}),
 * as the SDK already does over HTTPS. On HTTP the SDK always hashes the body into the signature (aws-sdk-java-v2
 * #4701), and the server hashes it again to check: two SHA-256 passes over every object each service writes, the
 * largest share of the S3 traffic's CPU in a preview and the ceiling of an upload. The request is signed as if it
 * were HTTPS (the scheme is not part of what SigV4 signs) and sent on its own scheme. Requests that carry a
 * checksum S3 requires (DeleteObjects) are signed as before.
 */
final class UnsignedPayloadSigner implements AwsV4HttpSigner {
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** The standard SigV4 scheme with this signer. */
    static AwsV4AuthScheme scheme() {
        AwsV4AuthScheme standard = AwsV4AuthScheme.create();
        UnsignedPayloadSigner signer = new UnsignedPayloadSigner();
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return standard.schemeId();
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return standard.identityProvider(providers);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        if (!applies(request)) {
            return signer.sign(request);
        }
        String protocol = request.request().protocol();
        SignedRequest signed = signer.sign(request.copy(b -> b
                .request(request.request().copy(r -> r.protocol("https")))
                .putProperty(PAYLOAD_SIGNING_ENABLED, false)));
        return signed.copy(b -> b.request(signed.request().copy(r -> r.protocol(protocol))));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        if (!applies(request)) {
            return signer.signAsync(request);
        }
        String protocol = request.request().protocol();
        return signer.signAsync(request.copy(b -> b
                        .request(request.request().copy(r -> r.protocol("https")))
                        .putProperty(PAYLOAD_SIGNING_ENABLED, false)))
                .thenApply(signed -> signed.copy(b -> b.request(signed.request().copy(r -> r.protocol(protocol)))));
    }

    private static boolean applies(BaseSignRequest<?, ?> request) {
        return "http".equals(request.request().protocol()) && !request.hasProperty(CHECKSUM_ALGORITHM);
    }
}
