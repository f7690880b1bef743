package org.zooscope.gateway.limits;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock quotas and expiry read (a test replaces it to move time on). */
@Configuration(proxyBeanMethods = false)
class LimitsConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
