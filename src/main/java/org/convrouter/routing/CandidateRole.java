package org.convrouter.routing;

/** Why a user is considered: selected in "Assign to", or the contact owner, or the chat fallback user. */
public enum CandidateRole {
    SELECTED, OWNER, FALLBACK
}
