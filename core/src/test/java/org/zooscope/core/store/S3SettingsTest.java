package org.zooscope.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

    @Test
    void bodiesAreLeftOutOfTheSignatureUnlessAsked() {
        assertThat(S3Settings.fromEnvironment(Map.of()).signPayloads()).isFalse();
        assertThat(S3Settings.fromEnvironment(Map.of("ZOOSCOPE_S3_SIGN_PAYLOADS", "true")).signPayloads()).isTrue();
    }

    @Test
    void aFlagThatIsNeitherTrueNorFalseIsRefusedByName() {
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("ZOOSCOPE_S3_SIGN_PAYLOADS", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZOOSCOPE_S3_SIGN_PAYLOADS").hasMessageContaining("'yes'");
    }
}
