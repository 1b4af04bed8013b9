package org.convrouter.routing;

/** A rule fact derived by eligibility rules: this candidate may not be chosen, for this reason. */
public record Exclusion(Candidate candidate, String reason) {}
