package org.convrouter.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.AgentLoads;

/**
 * Each user's chat load (R4): open chat-kind conversations assigned to them and when they were
 * last assigned one. Kept exact through assign, reassign and close (M7). Thread-safe per user;
 * callers that need a decision and its bookkeeping to be atomic hold their own lock.
 */
public final class LoadBook implements AgentLoads {

    /** One cell per user, never removed or replaced, so a cell handed out by {@link #source} stays live. */
    private final Map<String, Cell> cells = new ConcurrentHashMap<>();

    private static final class Cell extends AtomicReference<AgentLoad> implements Supplier<AgentLoad> {
        Cell() {
            super(AgentLoad.NONE);
        }
    }

    @Override
    public AgentLoad of(String userId) {
        Cell cell = cells.get(userId);
        return cell == null ? AgentLoad.NONE : cell.get();
    }

    @Override
    public Supplier<AgentLoad> source(String userId) {
        return cell(userId);
    }

    private Cell cell(String userId) {
        return cells.computeIfAbsent(userId, id -> new Cell());
    }

    /** Replaces every load with the given ones, as rebuilt from storage. */
    public void resetTo(Map<String, AgentLoad> stored) {
        cells.forEach((id, cell) -> cell.set(stored.getOrDefault(id, AgentLoad.NONE)));
        stored.forEach((id, load) -> cell(id).set(load));
    }

    /** Moves a chat's weight from one assignee to another (either may be null or a team). */
    public void moved(Conversation conversation, Assignee from, Assignee to, Instant at) {
        if (!conversation.isChat() || !conversation.isOpen()) {
            return;
        }
        release(from);
        if (to != null && to.type() == AssigneeType.USER) {
            cell(to.id()).updateAndGet(load -> new AgentLoad(load.openChats() + 1, at));
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
            cell(from.id()).updateAndGet(load -> new AgentLoad(Math.max(0, load.openChats() - 1), load.lastChatAssignedAt()));
        }
    }
}
