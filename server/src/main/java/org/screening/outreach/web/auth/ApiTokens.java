package org.screening.outreach.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.screening.outreach.domain.Role;

/**
 * Issues and checks bearer tokens. Tokens are 256 random bits, so SHA-256 (not a slow password hash) is enough
 * to make a stolen table useless. Checked tokens are cached briefly to keep the database off the hot path.
 */
public final class ApiTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CACHE_MILLIS = 30_000;
    private final ApiTokenStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Caller caller, long until) {}

    public record Issued(long id, String token) {}

    public ApiTokens(ApiTokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) return Optional.empty();
        String hash = hash(token.strip());
        long now = clock.millis();
        Cached c = cache.get(hash);
        if (c != null && c.until() > now) return Optional.of(c.caller());
        Optional<Caller> found = store.findByHash(hash);
        found.ifPresent(caller -> cache.put(hash, new Cached(caller, now + CACHE_MILLIS)));
        return found;
    }

    public Issued issue(String name, Role role, String prefix) {
        String token = newToken();
        long id = store.create(name, hash(token), role, prefix, false, clock.instant());
        return new Issued(id, token);
    }

    /**
     * Makes sure a built-in admin (province role, whole deployment) exists. A configured token is registered;
     * otherwise one is generated on the first start only and returned so the caller can print it once.
     */
    public Optional<String> ensureAdmin(String configuredToken) {
        if (configuredToken != null && !configuredToken.isBlank()) {
            String hash = hash(configuredToken.strip());
            if (store.findByHash(hash).isEmpty()) store.create("admin", hash, Role.PROVINCE, "", true, clock.instant());
            return Optional.empty();
        }
        if (store.hasAdmin()) return Optional.empty();
        String token = newToken();
        store.create("admin", hash(token), Role.PROVINCE, "", true, clock.instant());
        return Optional.of(token);
    }

    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "so_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
