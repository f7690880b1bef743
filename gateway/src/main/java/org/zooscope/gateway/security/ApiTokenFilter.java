package org.zooscope.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
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
 * Says who calls: {@code Authorization: Bearer <token>} with a configured token (API clients), or a signed session
 * cookie (the browser; the page hands one out on first visit). Browsing the zoo and the samples needs neither;
 * reading a job with its share link's {@code token} parameter needs neither either (the job handler checks the share
 * token). Everything else under {@code /api/} answers 401.
 */
@Component
@Order(-100)
class ApiTokenFilter implements WebFilter {
    private final Set<String> tokenHashes;
    private final SessionCookies cookies;

    ApiTokenFilter(GatewayProperties props, SessionCookies cookies) {
        this.tokenHashes = props.apiTokens().stream().map(Hashes::sha256).collect(Collectors.toUnmodifiableSet());
        this.cookies = cookies;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        String auth = exchange.getRequest().getHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && path.startsWith("/api/")) {
            String hash = Hashes.sha256(auth.substring(7).strip());
            if (tokenHashes.contains(hash)) {
                exchange.getAttributes().put(Caller.ATTRIBUTE, new Caller(hash));
                return chain.filter(exchange);
            }
            return unauthorized(exchange, "the API token is not valid");
        }
        Optional<String> session = Optional.ofNullable(exchange.getRequest().getCookies().getFirst(SessionCookies.NAME))
                .map(HttpCookie::getValue).flatMap(cookies::verify)
                // a browser bound to an API token loses it when the token is withdrawn from the configuration
                .filter(sid -> !SessionCookies.bound(sid) || tokenHashes.contains(SessionCookies.ownerHash(sid)));
        session.ifPresent(sid -> exchange.getAttributes().put(Caller.ATTRIBUTE, new Caller(SessionCookies.ownerHash(sid))));
        if (!path.startsWith("/api/")) {
            // the page: a first visit gets its session, so the uploads and jobs it makes are its own
            if (session.isEmpty() && isPage(path)) {
                exchange.getResponse().addCookie(cookies.issue());
            }
            return chain.filter(exchange);
        }
        if (session.isPresent()) {
            return chain.filter(exchange);
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

    private static boolean isPage(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/view/");
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
