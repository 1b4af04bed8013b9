package org.convrouter.conversation;

/** A rule fact derived by manual-assignment rules: this target may not be assigned, for this reason. */
public record Refusal(AssignmentRequest request, String reason) {}
