package org.zooscope.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings ({@code zooscope.*} in application.yml, where each default and its environment variable
 * live). Start-up fails when a value is invalid.
 *
 * @param apiTokens    tokens accepted as {@code Authorization: Bearer <token>}; each token is one owner
 * @param publicUrl    the URL users reach the gateway at, for share links
 * @param samplesDir   the folder of bundled sample images the page offers (the repository's {@code samples/})
 * @param cookieSecret key that signs browser session cookies; blank = a random key per start (sessions then end
 *                     when the gateway restarts)
 * @param heartbeat    how often an idle SSE stream sends a comment, so proxies keep it open
 */
@ConfigurationProperties("zooscope")
@Validated
public record GatewayProperties(List<String> apiTokens, @NotBlank String publicUrl, @NotBlank String opensearchUrl,
                                String readyFile, @NotNull @Valid Upload upload, @NotBlank String samplesDir,
                                String cookieSecret, @NotNull Duration heartbeat) {

    public GatewayProperties {
        apiTokens = apiTokens == null ? List.of() : apiTokens.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    /**
     * @param maxFiles        slice files in one upload
     * @param maxBytes        bytes of one upload request (all files together), checked from Content-Length before
     *                        anything is read
     * @param maxDecodedBytes decoded samples of one upload (width × height × depth × bytes per sample), checked from
     *                        the header before pixels are read
     */
    public record Upload(@Positive int maxFiles, @NotNull DataSize maxBytes, @Positive long maxDecodedBytes,
                         @NotBlank String tempDir) {
    }
}
