package org.convrouter.conversation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.convrouter.directory.Contact;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.Decision;

/**
 * Where conversations live. Each write is one atomic change, visible to {@link #find} at once; the
 * returned future completes when the change is durable (it survives a crash) and fails if it
 * could not be stored. Callers answer their clients only after it completes. Writes are applied
 * in the order they are made. Implementations must be thread-safe.
 */
public interface ConversationStore {

    /** A new conversation with its first message and the routing decision that placed it. */
    default CompletableFuture<Void> create(Conversation conversation, Decision decision) {
        return create(conversation, decision, null);
    }

    /**
     * As above, and {@code newContact} (or null), the contact the request introduced, stored in the
     * same atomic change if it is not stored yet: a request that fails leaves no contact behind.
     */
    CompletableFuture<Void> create(Conversation conversation, Decision decision, Contact newContact);

    CompletableFuture<Void> recordAssignment(Conversation after, AssignmentChange change);

    /** A reply, and the assignment it caused (M3) or null. */
    CompletableFuture<Void> recordReply(Conversation after, Message reply, AssignmentChange change);

    CompletableFuture<Void> recordClose(Conversation after);

    Optional<Conversation> find(String id);

    Optional<Decision> decisionOf(String conversationId);

    List<Conversation> list(ConversationQuery query);

    /** Returns once every write made before the call has completed, stored or failed. */
    void flush();

    /** Every user's chat load as stored (R4): open chat-kind conversations and last chat assignment. */
    Map<String, AgentLoad> chatLoads();
}
