package org.convrouter.routing;

import java.time.Instant;

/** A user's chat load for least-busy routing (R4): open chat-kind conversations, last chat assignment. */
public record AgentLoad(int openChats, Instant lastChatAssignedAt) {

    public static final AgentLoad NONE = new AgentLoad(0, null);
}
