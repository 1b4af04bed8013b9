package org.convrouter.access;

import java.time.Instant;

/** A token as listed to the admin: its id, name and lifetime, never its secret or hash. {@code expiresAt} null: until revoked. */
public record TokenInfo(String id, String name, Instant createdAt, Instant expiresAt) {}
