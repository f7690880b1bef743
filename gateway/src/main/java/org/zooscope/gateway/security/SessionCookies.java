package org.zooscope.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.zooscope.gateway.config.GatewayProperties;

/**
 * The browser's credential: a random session id signed with HMAC-SHA256 ({@code <id>.<mac>}), so nobody can make up
 * someone else's. HttpOnly keeps it from page scripts; SameSite=Lax keeps other sites from posting with it.
 */
@Component
public class SessionCookies {
    public static final String NAME = "zs_session";
    private static final Duration MAX_AGE = Duration.ofDays(30);
    /** Marks a session bound to an API token; base64url ids never contain it. */
    private static final String BOUND = "@";

    private final byte[] key;
    private final SecureRandom random;

    SessionCookies(GatewayProperties props, SecureRandom random) {
        this.random = random;
        if (props.cookieSecret() == null || props.cookieSecret().isBlank()) {
            this.key = new byte[32];
            random.nextBytes(this.key);
        } else {
            this.key = props.cookieSecret().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A new signed session cookie. */
    ResponseCookie issue() {
        byte[] id = new byte[18];
        random.nextBytes(id);
        String sid = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        return ResponseCookie.from(NAME, sid + "." + mac(sid)).httpOnly(true).sameSite("Lax").path("/")
                .maxAge(MAX_AGE).build();
    }

    /** The session id of a correctly signed cookie value. */
    Optional<String> verify(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String sid = value.substring(0, dot);
        return Hashes.same(mac(sid), value.substring(dot + 1)) ? Optional.of(sid) : Optional.empty();
    }

    /**
     * A cookie that makes the browser act as the holder of an API token (whose hash is {@code ownerHash}), so what
     * the token uploaded, ran or registered is the page's too. Only the hash is in the cookie, never the token.
     */
    public ResponseCookie issueFor(String ownerHash) {
        String sid = BOUND + ownerHash;
        return ResponseCookie.from(NAME, sid + "." + mac(sid)).httpOnly(true).sameSite("Lax").path("/")
                .maxAge(MAX_AGE).build();
    }

    /**
     * The owner hash of a browser session: a bound session's token hash, else a hash of the random id, prefixed so it
     * can never equal an API token's hash.
     */
    static String ownerHash(String sessionId) {
        return sessionId.startsWith(BOUND) ? sessionId.substring(BOUND.length())
                : Hashes.sha256("browser-session:" + sessionId);
    }

    /** Whether the session acts for an API token. */
    static boolean bound(String sessionId) {
        return sessionId.startsWith(BOUND);
    }

    private String mac(String sid) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(sid.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
