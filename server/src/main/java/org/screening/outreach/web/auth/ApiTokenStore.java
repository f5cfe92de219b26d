package org.screening.outreach.web.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.Role;

/** API tokens by hash; implemented in {@code store/}. */
public interface ApiTokenStore {
    /** How a token looks to its administrators: never the token or its hash. */
    record Listed(long id, String name, Role role, String jurisdictionPrefix, boolean admin, Instant createdAt,
                  Instant revokedAt, String revokedBy) {}

    /** The token's holder, unless the token is unknown or revoked. */
    Optional<Caller> findByHash(String sha256Hex);

    /** Whether the hash was ever issued, revoked or not. */
    boolean known(String sha256Hex);

    long create(String name, String sha256Hex, Role role, String jurisdictionPrefix, boolean admin, Instant now);

    boolean hasAdmin();

    /** Tokens under {@code jurisdictionPrefix}, newest first. */
    List<Listed> list(String jurisdictionPrefix);

    Optional<Listed> find(long id);

    /** Revokes an active token; false if it was already revoked (or is unknown). */
    boolean revoke(long id, String by, Instant now);

    /** Active admin tokens. */
    int activeAdmins();
}
