package org.convrouter.conversation;

/** A routing request: a first message arriving on a channel, from a contact (or null for none). */
public record NewConversation(String id, String channelId, String text, String subject, ContactRef contact) {

    /** The contact a request names: a stored one by {@code id}, or one found or made by {@code email}. */
    public record ContactRef(String id, String email, String name) {

        public static ContactRef byId(String id) {
            return new ContactRef(id, null, null);
        }

        public static ContactRef byEmail(String email, String name) {
            return new ContactRef(null, email, name);
        }
    }
}
