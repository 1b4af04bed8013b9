package org.convrouter.conversation;

import java.util.List;
import java.util.Optional;
import org.convrouter.routing.Decision;

/**
 * Where conversations live. Each method is one atomic, durable change: when it returns, the change
 * survives a crash. Implementations must be thread-safe.
 */
public interface ConversationStore {

    /** A new conversation with its first message and the routing decision that placed it. */
    void create(Conversation conversation, Decision decision);

    void recordAssignment(Conversation after, AssignmentChange change);

    /** A reply, and the assignment it caused (M3) or null. */
    void recordReply(Conversation after, Message reply, AssignmentChange change);

    void recordClose(Conversation after);

    Optional<Conversation> find(String id);

    Optional<Decision> decisionOf(String conversationId);

    List<Conversation> list(ConversationQuery query);
}
