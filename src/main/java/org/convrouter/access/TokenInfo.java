package org.convrouter.access;

import java.time.Instant;

/** A token as listed to the admin: its id and name, never its secret or hash. */
public record TokenInfo(String id, String name, Instant createdAt) {}
