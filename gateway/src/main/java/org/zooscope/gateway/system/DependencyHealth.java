package org.zooscope.gateway.system;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.zooscope.core.store.S3ObjectStore;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code /actuator/health} is UP only when the gateway can reach its bucket and the catalog. */
@Configuration(proxyBeanMethods = false)
class DependencyHealth {

    @Bean
    ReactiveHealthIndicator s3Health(S3ObjectStore store) {
        return () -> Mono.fromCallable(() -> {
            store.client().headBucket(b -> b.bucket(store.bucket()));
            return Health.up().withDetail("bucket", store.bucket()).build();
        }).subscribeOn(Schedulers.boundedElastic()).onErrorResume(e -> Mono.just(Health.down(e).build()));
    }

    @Bean
    ReactiveHealthIndicator openSearchHealth(OpenSearchClient client) {
        return () -> Mono.fromCallable(() -> client.ping().value() ? Health.up().build() : Health.down().build())
                .subscribeOn(Schedulers.boundedElastic()).onErrorResume(e -> Mono.just(Health.down(e).build()));
    }
}
