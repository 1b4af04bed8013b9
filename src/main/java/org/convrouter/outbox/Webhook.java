package org.convrouter.outbox;

import java.util.List;

/** A receiver of conversation events, as listed: never with its secret. */
public record Webhook(String id, String url, List<String> events) {}
