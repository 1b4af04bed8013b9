package org.convrouter.conversation;

public enum ConversationStatus {
    OPEN, CLOSED
}
