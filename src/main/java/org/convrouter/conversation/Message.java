package org.convrouter.conversation;

import java.time.Instant;

/** One message. {@code authorUserId} is null when the contact wrote it. */
public record Message(String id, String authorUserId, String text, String subject, Instant at) {}
