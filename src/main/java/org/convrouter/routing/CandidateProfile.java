package org.convrouter.routing;

import java.util.Set;

/**
 * The part of a {@link Candidate} that says how policy sees them, without saying who they are:
 * role, seat, activity, inbox access, availability and how they were selected. Users with the same
 * profile are indistinguishable to rules that read nothing else (see {@link ProfileRuleCheck}),
 * so such rules need judge only one of them per profile.
 */
final class CandidateProfile {

    /** The candidate fields that make up a profile: the only ones rules judged by profile may read. */
    static final Set<String> FIELDS = Set.of("role", "seat", "paidSeat", "active", "inboxAccess", "available",
            "selectedDirectly", "primaryMemberOfSelectedTeam", "secondaryMemberOfSelectedTeam");

    /** The candidate fields that belong to one user (identity, team membership, load): never in a profile. */
    static final Set<String> PER_USER_FIELDS = Set.of("userId", "name", "email", "primaryTeam", "teams",
            "openChats", "lastChatAssignedAt", "chatCapacity");

    /** How many distinct keys {@link #key} can give: a table indexed by key needs this many slots. */
    static final int KEYS = 1 << 11;

    private CandidateProfile() {}

    /** A small number, equal for two candidates exactly when their profiles are equal. */
    static int key(Candidate c) {
        int key = c.role().ordinal();                  // 2 bits
        key = key << 2 | c.seat().ordinal();           // 2 bits
        key = key << 1 | bit(c.paidSeat());
        key = key << 1 | bit(c.active());
        key = key << 1 | bit(c.inboxAccess());
        key = key << 1 | bit(c.available());
        key = key << 1 | bit(c.selectedDirectly());
        key = key << 1 | bit(c.primaryMemberOfSelectedTeam());
        key = key << 1 | bit(c.secondaryMemberOfSelectedTeam());
        return key;
    }

    /** Owners and fallback users are one person each: they are always judged on their own, by any field. */
    static boolean standsAlone(Candidate c) {
        return c.role() != CandidateRole.SELECTED;
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
