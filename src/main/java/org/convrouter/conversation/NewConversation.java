package org.convrouter.conversation;

/** A routing request: a first message arriving on a channel. The contact is resolved separately. */
public record NewConversation(String id, String channelId, String text, String subject) {}
