package org.convrouter.directory;

/** A user's seat. Only paid seats ({@code sales}, {@code service}) may be routed to automatically (M6, R1). */
public enum Seat {
    NONE, SALES, SERVICE;

    public boolean isPaid() {
        return this != NONE;
    }
}
