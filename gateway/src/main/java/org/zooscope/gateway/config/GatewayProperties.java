package org.zooscope.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings ({@code zooscope.*} in application.yml, where each default and its environment variable
 * live). Start-up fails when a value is invalid.
 *
 * @param apiTokens tokens accepted as {@code Authorization: Bearer <token>}; each token is one owner
 * @param publicUrl the URL users reach the gateway at, for share links
 */
@ConfigurationProperties("zooscope")
@Validated
public record GatewayProperties(List<String> apiTokens, @NotBlank String publicUrl, @NotBlank String opensearchUrl,
                                String readyFile, @NotNull @Valid Upload upload) {

    public GatewayProperties {
        apiTokens = apiTokens == null ? List.of() : apiTokens.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    /**
     * @param maxFiles        slice files in one upload
     * @param maxDecodedBytes decoded samples of one upload (width × height × depth × bytes per sample), checked from
     *                        the header before pixels are read
     */
    public record Upload(@Positive int maxFiles, @Positive long maxDecodedBytes, @NotBlank String tempDir) {
    }
}
