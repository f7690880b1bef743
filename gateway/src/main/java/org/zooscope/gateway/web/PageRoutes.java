package org.zooscope.gateway.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The web page: one static page ({@code static/index.html} with plain JS modules, no build step) for both the
 * biologist's workflow at {@code /} and the read-only shared viewer at {@code /view/{jobId}?token=...}; the script
 * tells them apart from the address.
 */
@Configuration(proxyBeanMethods = false)
class PageRoutes {
    private static final Resource PAGE = new ClassPathResource("static/index.html");

    @Bean
    RouterFunction<ServerResponse> pages() {
        return route(GET("/"), r -> page()).andRoute(GET("/view/{jobId}"), r -> page());
    }

    private static reactor.core.publisher.Mono<ServerResponse> page() {
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).header("Cache-Control", "no-cache").bodyValue(PAGE);
    }
}
