package org.convrouter.routing;

/** A notification the rules asked for, queued for delivery (R7). */
public record Notification(String channel, String userId, String address, String subject, String text) {}
