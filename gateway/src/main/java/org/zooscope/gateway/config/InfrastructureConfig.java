package org.zooscope.gateway.config;

import java.security.SecureRandom;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.store.S3Settings;
import org.zooscope.catalog.OpenSearchClients;
import org.zooscope.catalog.search.DatasetSearch;
import org.zooscope.catalog.search.JobSearch;
import org.zooscope.catalog.search.ModelSearch;

/** The gateway's connections to S3 and OpenSearch (Kafka is Spring Boot's). */
@Configuration(proxyBeanMethods = false)
class InfrastructureConfig {

    @Bean(destroyMethod = "close")
    S3ObjectStore objectStore() {
        return S3ObjectStore.connect(S3Settings.fromEnvironment());
    }

    @Bean
    OpenSearchClient openSearchClient(GatewayProperties props) {
        return OpenSearchClients.connect(props.opensearchUrl());
    }

    @Bean
    ModelSearch modelSearch(OpenSearchClient client) {
        return new ModelSearch(client);
    }

    @Bean
    DatasetSearch datasetSearch(OpenSearchClient client) {
        return new DatasetSearch(client);
    }

    @Bean
    JobSearch jobSearch(OpenSearchClient client) {
        return new JobSearch(client);
    }

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    /** Lets handlers depend on the interface. */
    @Bean
    ObjectStore store(S3ObjectStore s3) {
        return s3;
    }
}
