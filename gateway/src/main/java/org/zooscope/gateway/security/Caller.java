package org.zooscope.gateway.security;

import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;

/** Who made a request: the hash of their credential, set by {@link ApiTokenFilter}. */
public record Caller(String ownerHash) {
    static final String ATTRIBUTE = Caller.class.getName();

    public static Optional<Caller> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    public boolean owns(String hash) {
        return Hashes.same(ownerHash, hash);
    }
}
