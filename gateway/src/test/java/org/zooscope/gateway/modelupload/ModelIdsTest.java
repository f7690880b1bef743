package org.zooscope.gateway.modelupload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelIdsTest {

    @Test
    void idsAreMappedToWhatKeysAndUrlsTakeAlwaysTheSameWay() {
        assertThat(ModelIds.of("skeleton-smooth")).isEqualTo("skeleton-smooth");
        assertThat(ModelIds.of("10.5281/zenodo.5764892/5764893")).isEqualTo("10.5281-zenodo.5764892-5764893");
        assertThat(ModelIds.of("Affable Shark!")).isEqualTo("affable-shark");
        assertThat(ModelIds.of("../..")).isEmpty();
    }
}
