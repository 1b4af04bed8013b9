package org.convrouter.conversation;

import java.time.Instant;
import java.util.List;

/**
 * Something that happened to a conversation, for webhooks: stored with the change that caused it
 * ({@link ConversationStore.Transaction#emit}) and posted to every webhook that asked for its type.
 * {@code id} is the same on every retry, so receivers can drop repeats. {@code decisionId} names the
 * routing decision behind a created, assigned or unassigned event, and is null for changes by hand.
 */
public record ConversationEvent(String id, String event, String conversationId, String channelId, Assignee assignee,
                                String decisionId, Instant at) {

    public static final String CREATED = "conversation.created";
    public static final String ASSIGNED = "conversation.assigned";
    public static final String UNASSIGNED = "conversation.unassigned";
    public static final String CLOSED = "conversation.closed";
    public static final List<String> TYPES = List.of(CREATED, ASSIGNED, UNASSIGNED, CLOSED);

    public static ConversationEvent created(String id, Conversation c, String decisionId, Instant at) {
        return new ConversationEvent(id, CREATED, c.id(), c.channelId(), c.assignee(), decisionId, at);
    }

    /** The conversation now has {@code c.assignee()}: by routing (with its decision) or by hand (decision null). */
    public static ConversationEvent assigned(String id, Conversation c, String decisionId, Instant at) {
        return new ConversationEvent(id, ASSIGNED, c.id(), c.channelId(), c.assignee(), decisionId, at);
    }

    /** A routing attempt left the conversation without an assignee (it waits). */
    public static ConversationEvent unassigned(String id, Conversation c, String decisionId, Instant at) {
        return new ConversationEvent(id, UNASSIGNED, c.id(), c.channelId(), null, decisionId, at);
    }

    public static ConversationEvent closed(String id, Conversation c, Instant at) {
        return new ConversationEvent(id, CLOSED, c.id(), c.channelId(), c.assignee(), null, at);
    }
}
