package org.screening.outreach.web.auth;

import java.time.Instant;
import java.util.Optional;
import org.screening.outreach.domain.Role;

/** API tokens by hash; implemented in {@code store/}. */
public interface ApiTokenStore {
    Optional<Caller> findByHash(String sha256Hex);

    long create(String name, String sha256Hex, Role role, String jurisdictionPrefix, boolean admin, Instant now);

    boolean hasAdmin();
}
