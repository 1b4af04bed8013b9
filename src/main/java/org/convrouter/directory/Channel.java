package org.convrouter.directory;

/** A connected channel (a team email address, a chatflow, a Messenger account, a form) feeding one inbox. */
public record Channel(String id, String inboxId, ChannelKind kind, String name) {

    public boolean chatKind() {
        return kind.isChatKind();
    }
}
