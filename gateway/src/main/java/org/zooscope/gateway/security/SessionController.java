package org.zooscope.gateway.security;

import java.util.Map;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * The browser's identity. {@code POST /api/v1/session} with {@code Authorization: Bearer <token>} binds the page to
 * that API token, so a model, upload or job made with the token from a terminal shows in the page too;
 * {@code DELETE} goes back to an anonymous browser session; {@code GET} says which one the page has.
 */
@RestController
class SessionController {
    private final SessionCookies cookies;

    SessionController(SessionCookies cookies) {
        this.cookies = cookies;
    }

    @GetMapping("/api/v1/session")
    Map<String, Object> current(ServerWebExchange exchange) {
        boolean bound = session(exchange).map(SessionCookies::bound).orElse(false);
        return Map.of("identity", bound ? "api-token" : "browser");
    }

    @PostMapping("/api/v1/session")
    Map<String, Object> bind(ServerWebExchange exchange) {
        String auth = exchange.getRequest().getHeaders().getFirst("Authorization");
        Caller caller = Caller.of(exchange).orElse(null);
        if (auth == null || caller == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "send the API token as 'Authorization: Bearer <token>' to use it in this browser");
        }
        exchange.getResponse().addCookie(cookies.issueFor(caller.ownerHash()));
        return Map.of("identity", "api-token");
    }

    @DeleteMapping("/api/v1/session")
    Map<String, Object> unbind(ServerWebExchange exchange) {
        exchange.getResponse().addCookie(cookies.issue());
        return Map.of("identity", "browser");
    }

    private java.util.Optional<String> session(ServerWebExchange exchange) {
        return java.util.Optional.ofNullable(exchange.getRequest().getCookies().getFirst(SessionCookies.NAME))
                .map(HttpCookie::getValue).flatMap(cookies::verify);
    }
}
