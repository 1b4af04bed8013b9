package org.convrouter.directory;

/**
 * A support agent or admin who can own conversations.
 *
 * @param chatCapacity the most open chat-kind conversations automatic routing gives them (R11); null for no limit
 */
public record User(String id, String name, String email, Seat seat, boolean available, boolean active,
                   Integer chatCapacity) {

    /** A user without a chat capacity (no limit). */
    public User(String id, String name, String email, Seat seat, boolean available, boolean active) {
        this(id, name, email, seat, available, active, null);
    }

    public boolean hasPaidSeat() {
        return seat.isPaid();
    }

    public User withAvailable(boolean newAvailable) {
        return new User(id, name, email, seat, newAvailable, active, chatCapacity);
    }
}
