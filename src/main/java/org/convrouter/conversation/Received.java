package org.convrouter.conversation;

import org.convrouter.routing.Decision;

/** A stored conversation and the routing decision that placed it. */
public record Received(Conversation conversation, Decision decision) {}
