package org.zooscope.gateway.modelupload;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import org.zooscope.core.modelpkg.check.PackageLimits;

/**
 * Settings of the model zoo's uploads and publishing ({@code zooscope.models.*} in application.yml, where each default
 * and its environment variable live). Start-up fails when a value is invalid.
 *
 * @param curatorTokens API tokens whose holders may publish models to everyone ({@code ZOOSCOPE_CURATOR_TOKENS}); a
 *                      curator token must also be one of the API tokens
 * @param tempDir       where an uploaded package waits while it is validated
 */
@ConfigurationProperties("zooscope.models")
@Validated
public record ModelZooProperties(List<String> curatorTokens, @NotBlank String tempDir, @NotNull @Valid Limits limits,
                                 @NotNull @Valid DataCite datacite) {

    public ModelZooProperties {
        curatorTokens = curatorTokens == null ? List.of()
                : curatorTokens.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    /** Size limits of an uploaded package; see {@link PackageLimits}. */
    public record Limits(@Positive long maxPackageBytes, @Positive int maxEntries, @Positive long maxUnpackedBytes,
                         @Positive int maxCompressionRatio) {
        public PackageLimits toPackageLimits() {
            return new PackageLimits(maxPackageBytes, maxEntries, maxUnpackedBytes, maxCompressionRatio);
        }
    }

    /**
     * DataCite DOI minting, off by default. When enabled every published model version gets a DOI under
     * {@code prefix}, registered at {@code apiUrl} (e.g. {@code https://api.test.datacite.org}) with the repository
     * account {@code username}/{@code password}.
     */
    public record DataCite(boolean enabled, String apiUrl, String prefix, String username, String password,
                           @NotBlank String publisher) {
        public DataCite {
            if (enabled && (blank(apiUrl) || blank(prefix) || blank(username) || blank(password))) {
                throw new IllegalArgumentException("zooscope.models.datacite is enabled but api-url, prefix, username or password is empty");
            }
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}
