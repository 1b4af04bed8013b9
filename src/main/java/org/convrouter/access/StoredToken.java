package org.convrouter.access;

import java.time.Instant;

/** Whom a stored token hash stands for, and when it stops working ({@code expiresAt} null: until revoked). */
public record StoredToken(Principal principal, Instant expiresAt) {

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
