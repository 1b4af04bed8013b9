package org.convrouter.directory;

/** Where a conversation comes from. Chat kinds count towards a user's chat load (R4). */
public enum ChannelKind {
    EMAIL, CHAT, BOT, MESSENGER, FORM;

    public boolean isChatKind() {
        return this == CHAT || this == BOT || this == MESSENGER;
    }
}
