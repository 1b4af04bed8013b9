package org.convrouter.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.convrouter.directory.ChannelKind;

/**
 * A conversation with its most recent messages and its assignment history. Immutable: changes make
 * a new value. {@code messages} holds at most the last {@link #RECENT_MESSAGES} of the
 * {@code messageCount} it has, so a conversation in memory stays small however long it grows; the
 * rest are read a page at a time.
 */
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
        int messageCount,
        List<AssignmentChange> history) {

    /** How many of the latest messages a conversation carries (and its read and reply answers show). */
    public static final int RECENT_MESSAGES = 50;

    public Conversation {
        if (messageCount < messages.size()) {
            throw new IllegalArgumentException("messageCount " + messageCount + " < " + messages.size() + " messages held");
        }
        messages = List.copyOf(messages.size() > RECENT_MESSAGES
                ? messages.subList(messages.size() - RECENT_MESSAGES, messages.size()) : messages);
        history = List.copyOf(history);
    }

    /** A conversation holding all its messages. */
    public Conversation(String id, String channelId, ChannelKind channelKind, String inboxId, String contactId,
                        ConversationStatus status, Assignee assignee, String decisionId, Instant createdAt,
                        List<Message> messages, List<AssignmentChange> history) {
        this(id, channelId, channelKind, inboxId, contactId, status, assignee, decisionId, createdAt, messages,
                messages.size(), history);
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
                createdAt, messages, messageCount, append(history, change));
    }

    public Conversation withMessage(Message message) {
        return new Conversation(id, channelId, channelKind, inboxId, contactId, status, assignee, decisionId,
                createdAt, append(messages, message), messageCount + 1, history);
    }

    public Conversation closed() {
        return new Conversation(id, channelId, channelKind, inboxId, contactId, ConversationStatus.CLOSED, assignee,
                decisionId, createdAt, messages, messageCount, history);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }
}
