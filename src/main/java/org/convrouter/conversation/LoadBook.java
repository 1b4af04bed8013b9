package org.convrouter.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.AgentLoads;

/**
 * Each user's chat load (R4): open chat-kind conversations assigned to them and when they were
 * last assigned one. Kept exact through assign, reassign and close (M7). Thread-safe per user;
 * callers that need a decision and its bookkeeping to be atomic hold their own lock.
 */
public final class LoadBook implements AgentLoads {

    private final Map<String, AgentLoad> loads = new ConcurrentHashMap<>();

    @Override
    public AgentLoad of(String userId) {
        return loads.getOrDefault(userId, AgentLoad.NONE);
    }

    /** Replaces every load with the given ones, as rebuilt from storage. */
    public void resetTo(Map<String, AgentLoad> stored) {
        loads.clear();
        loads.putAll(stored);
    }

    /** Moves a chat's weight from one assignee to another (either may be null or a team). */
    public void moved(Conversation conversation, Assignee from, Assignee to, Instant at) {
        if (!conversation.isChat() || !conversation.isOpen()) {
            return;
        }
        release(from);
        if (to != null && to.type() == AssigneeType.USER) {
            loads.compute(to.id(), (id, load) -> {
                AgentLoad current = load == null ? AgentLoad.NONE : load;
                return new AgentLoad(current.openChats() + 1, at);
            });
        }
    }

    /** A chat was closed: its weight leaves its assignee (M7). */
    public void closed(Conversation conversation) {
        if (conversation.isChat() && conversation.isOpen()) {
            release(conversation.assignee());
        }
    }

    private void release(Assignee from) {
        if (from != null && from.type() == AssigneeType.USER) {
            loads.computeIfPresent(from.id(), (id, load) ->
                    new AgentLoad(Math.max(0, load.openChats() - 1), load.lastChatAssignedAt()));
        }
    }
}
