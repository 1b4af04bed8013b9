package org.convrouter.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.convrouter.directory.ChannelKind;

/** A conversation with its messages and assignment history. Immutable: changes make a new value. */
public record Conversation(
        String id,
        String channelId,
        ChannelKind channelKind,
        String inboxId,
        String contactId,
        ConversationStatus status,
        Assignee assignee,
        String decisionId,
        Instant createdAt,
        List<Message> messages,
        List<AssignmentChange> history) {

    public Conversation {
        messages = List.copyOf(messages);
        history = List.copyOf(history);
    }

    public boolean isOpen() {
        return status == ConversationStatus.OPEN;
    }

    public boolean isUnassigned() {
        return assignee == null;
    }

    /** Counts towards a user's chat load (R4, M7). */
    public boolean isChat() {
        return channelKind.isChatKind();
    }

    public Conversation assigned(AssignmentChange change) {
        return new Conversation(id, channelId, channelKind, inboxId, contactId, status, change.to(), decisionId,
                createdAt, messages, append(history, change));
    }

    public Conversation withMessage(Message message) {
        return new Conversation(id, channelId, channelKind, inboxId, contactId, status, assignee, decisionId,
                createdAt, append(messages, message), history);
    }

    public Conversation closed() {
        return new Conversation(id, channelId, channelKind, inboxId, contactId, ConversationStatus.CLOSED, assignee,
                decisionId, createdAt, messages, history);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }
}
