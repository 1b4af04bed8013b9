package org.convrouter.conversation;

import org.convrouter.directory.Contact;

/** A routing request: a first message arriving on a channel, from a resolved contact (or none). */
public record NewConversation(String id, String channelId, Contact contact, String text, String subject) {}
