package org.zooscope.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.zooscope.gateway.config.GatewayProperties;
import reactor.core.publisher.Mono;

/**
 * Authenticates API calls: {@code Authorization: Bearer <token>} with a configured token. Browsing the zoo needs no
 * token; reading a job with its share link's {@code token} parameter needs none either (the job handler checks the
 * share token). Everything else under {@code /api/} answers 401.
 */
@Component
@Order(-100)
class ApiTokenFilter implements WebFilter {
    private final Set<String> tokenHashes;

    ApiTokenFilter(GatewayProperties props) {
        this.tokenHashes = props.apiTokens().stream().map(Hashes::sha256).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String auth = exchange.getRequest().getHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String hash = Hashes.sha256(auth.substring(7).strip());
            if (tokenHashes.contains(hash)) {
                exchange.getAttributes().put(Caller.ATTRIBUTE, new Caller(hash));
                return chain.filter(exchange);
            }
            return unauthorized(exchange, "the API token is not valid");
        }
        boolean get = HttpMethod.GET.equals(exchange.getRequest().getMethod());
        if (get && (path.startsWith("/api/v1/models") || path.startsWith("/api/v1/datasets") || path.startsWith("/api/v1/samples"))) {
            return chain.filter(exchange);
        }
        if (get && path.startsWith("/api/v1/jobs/") && exchange.getRequest().getQueryParams().containsKey("token")) {
            return chain.filter(exchange);
        }
        return unauthorized(exchange, "this call needs an API token: send 'Authorization: Bearer <token>' (./zooscope up prints a local one)");
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        String body = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                + detail.replace("\"", "'") + "\",\"instance\":\"" + exchange.getRequest().getPath().value() + "\"}";
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }
}
