package org.convrouter.directory;

/** A support agent or admin who can own conversations. */
public record User(String id, String name, String email, Seat seat, boolean available, boolean active) {

    public boolean hasPaidSeat() {
        return seat.isPaid();
    }

    public User withAvailable(boolean newAvailable) {
        return new User(id, name, email, seat, newAvailable, active);
    }
}
