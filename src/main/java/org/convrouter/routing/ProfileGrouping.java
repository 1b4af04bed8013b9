package org.convrouter.routing;

/**
 * How a list of candidates groups by {@link CandidateProfile}: for each candidate, the slot of the
 * one judged for it, and for each slot, the position of that candidate. Profiles do not depend on
 * loads, so a channel's roster works this out once and every request on it reuses it. Immutable.
 */
public final class ProfileGrouping {

    private final int[] slots;
    private final int[] standIns;

    ProfileGrouping(int[] slots, int[] standIns) {
        this.slots = slots;
        this.standIns = standIns;
    }

    /** How many candidates it groups. */
    public int size() {
        return slots.length;
    }

    int[] slots() {
        return slots; // never written after construction
    }

    int[] standIns() {
        return standIns;
    }
}
