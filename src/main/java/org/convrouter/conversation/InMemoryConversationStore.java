package org.convrouter.conversation;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.convrouter.directory.Contact;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.Decision;

/** A volatile store for tests and simulations. Thread-safe. */
public final class InMemoryConversationStore implements ConversationStore {

    private static final Comparator<Conversation> NEWEST_FIRST =
            Comparator.comparing(Conversation::createdAt).thenComparing(Conversation::id).reversed();

    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Conversations only: contacts live in a database (JdbiContactStore), so {@code newContact} is not kept here. */
    @Override
    public CompletableFuture<Void> create(Conversation conversation, Decision decision, Contact newContact) {
        conversations.put(conversation.id(), conversation);
        if (decision != null) {
            decisions.put(conversation.id(), decision);
        }
        return DONE;
    }

    @Override
    public CompletableFuture<Void> recordAssignment(Conversation after, AssignmentChange change) {
        conversations.put(after.id(), after);
        return DONE;
    }

    @Override
    public CompletableFuture<Void> recordReply(Conversation after, Message reply, AssignmentChange change) {
        conversations.put(after.id(), after);
        return DONE;
    }

    @Override
    public CompletableFuture<Void> recordClose(Conversation after) {
        conversations.put(after.id(), after);
        return DONE;
    }

    @Override
    public void flush() {
        // every write is complete when it returns
    }

    /** Loads are derived from the conversations, as the SQL store does. */
    @Override
    public Map<String, AgentLoad> chatLoads() {
        Map<String, AgentLoad> loads = new java.util.HashMap<>();
        for (Conversation c : conversations.values()) {
            for (AssignmentChange change : c.history()) {
                if (c.isChat() && change.to() != null && change.to().type() == AssigneeType.USER) {
                    AgentLoad load = loads.getOrDefault(change.to().id(), AgentLoad.NONE);
                    if (load.lastChatAssignedAt() == null || change.at().isAfter(load.lastChatAssignedAt())) {
                        loads.put(change.to().id(), new AgentLoad(load.openChats(), change.at()));
                    }
                }
            }
            if (c.isChat() && c.isOpen() && c.assignee() != null && c.assignee().type() == AssigneeType.USER) {
                AgentLoad load = loads.getOrDefault(c.assignee().id(), AgentLoad.NONE);
                loads.put(c.assignee().id(), new AgentLoad(load.openChats() + 1, load.lastChatAssignedAt()));
            }
        }
        return loads;
    }

    @Override
    public Optional<Conversation> find(String id) {
        return Optional.ofNullable(conversations.get(id));
    }

    @Override
    public Optional<Decision> decisionOf(String conversationId) {
        return Optional.ofNullable(decisions.get(conversationId));
    }

    @Override
    public List<Conversation> list(ConversationQuery query) {
        return conversations.values().stream()
                .filter(c -> query.inboxIds() == null || query.inboxIds().contains(c.inboxId()))
                .filter(c -> !query.unassignedOnly() || c.isUnassigned())
                .filter(c -> query.mineFor() == null || (c.assignee() != null && c.assignee().isUser(query.mineFor())))
                .filter(c -> query.status() == null || c.status() == query.status())
                .filter(c -> query.before() == null || NEWEST_FIRST.compare(c, probe(query.before())) > 0)
                .sorted(NEWEST_FIRST)
                .limit(query.limit())
                .toList();
    }

    private static Conversation probe(ConversationQuery.Cursor cursor) {
        return new Conversation(cursor.id(), null, null, null, null, null, null, null, cursor.createdAt(), List.of(), List.of());
    }
}
