package org.convrouter.conversation;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.convrouter.routing.Decision;

/** A volatile store for tests and simulations. Thread-safe. */
public final class InMemoryConversationStore implements ConversationStore {

    private static final Comparator<Conversation> NEWEST_FIRST =
            Comparator.comparing(Conversation::createdAt).thenComparing(Conversation::id).reversed();

    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();

    @Override
    public void create(Conversation conversation, Decision decision) {
        conversations.put(conversation.id(), conversation);
        if (decision != null) {
            decisions.put(conversation.id(), decision);
        }
    }

    @Override
    public void recordAssignment(Conversation after, AssignmentChange change) {
        conversations.put(after.id(), after);
    }

    @Override
    public void recordReply(Conversation after, Message reply, AssignmentChange change) {
        conversations.put(after.id(), after);
    }

    @Override
    public void recordClose(Conversation after) {
        conversations.put(after.id(), after);
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
