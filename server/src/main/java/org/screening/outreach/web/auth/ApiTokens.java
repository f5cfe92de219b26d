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
    static final long CACHE_MILLIS = 30_000;
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
        return issue(name, role, prefix, false);
    }

    /** A new token; {@code admin} ones (province role, whole deployment) let an admin token be rotated. */
    public Issued issue(String name, Role role, String prefix, boolean admin) {
        String token = newToken();
        long id = store.create(name, hash(token), admin ? Role.PROVINCE : role, admin ? "" : prefix, admin,
                clock.instant());
        return new Issued(id, token);
    }

    /** Tokens under the prefix, newest first (for the admin; never the tokens themselves). */
    public java.util.List<ApiTokenStore.Listed> list(String prefix) {
        return store.list(prefix);
    }

    /** What revoking a token came to. */
    public enum Revocation { REVOKED, UNKNOWN, ALREADY_REVOKED, LAST_ADMIN }

    /**
     * Stops a token authenticating: at once on this node, within {@link #CACHE_MILLIS} on the others (their cache).
     * The last active admin token is kept, so the deployment is never left without one.
     */
    public Revocation revoke(long id, String by) {
        var listed = store.find(id);
        if (listed.isEmpty()) return Revocation.UNKNOWN;
        if (listed.get().revokedAt() != null) return Revocation.ALREADY_REVOKED;
        if (listed.get().admin() && store.activeAdmins() <= 1) return Revocation.LAST_ADMIN;
        if (!store.revoke(id, by, clock.instant())) return Revocation.ALREADY_REVOKED;
        cache.values().removeIf(c -> c.caller().tokenId() == id);
        return Revocation.REVOKED;
    }

    /**
     * Makes sure a built-in admin (province role, whole deployment) exists. A configured token is registered;
     * otherwise one is generated on the first start only and returned so the caller can print it once.
     */
    public Optional<String> ensureAdmin(String configuredToken) {
        if (configuredToken != null && !configuredToken.isBlank()) {
            String hash = hash(configuredToken.strip());
            // A configured token that was revoked stays revoked: registering it again would undo the revocation.
            if (!store.known(hash)) store.create("admin", hash, Role.PROVINCE, "", true, clock.instant());
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
