package org.convrouter.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The plain-language explanation of a decision, for people: "Assigned to Ana: least busy of 3
 * eligible users (1 open chat); Bo skipped: away; Cy skipped: no paid seat". Nothing here knows
 * any rule: the notes come from the fired rules' {@code @summary} metadata and the skip reasons
 * from the eligibility rules' Exclusions, so an analyst's new rule explains itself.
 */
public final class DecisionSummary {

    /** Beyond this many skipped candidates the summary only counts the rest. */
    static final int MAX_SKIPPED_LISTED = 10;

    /** A bracketed aside naming the chosen user, with the space before it: " ({openChats})", " (now {assignee})". */
    private static final Pattern ASIDE_ON_CHOSEN = Pattern.compile("\\s*\\([^()]*\\{(?:assignee|openChats)}[^()]*\\)");

    private DecisionSummary() {}

    /**
     * Fills a rule's {@code @summary} template. Placeholders: {eligible} ("3 eligible users"),
     * {assignee} (the chosen user's name), {openChats} ("1 open chat", before this assignment). A
     * template that counts the eligible reads "nobody was eligible" when there were none: "least
     * busy of 0 eligible users" says less, and less plainly.
     */
    static String render(String template, int eligible, Candidate chosen) {
        if (eligible == 0 && chosen == null && template.contains("{eligible}")) {
            return "nobody was eligible";
        }
        String text = template.replace("{eligible}", eligible + " eligible user" + (eligible == 1 ? "" : "s"));
        if (chosen != null) {
            return text.replace("{assignee}", chosen.name())
                    .replace("{openChats}", chosen.openChats() + " open chat" + (chosen.openChats() == 1 ? "" : "s"));
        }
        // Nobody was chosen, so what the template says of the chosen user has nothing to stand for: a
        // bracketed aside goes whole (never "({openChats})"); outside brackets the assignee is
        // "nobody" and a load is left out (rules/README.md asks for brackets).
        String unchosen = ASIDE_ON_CHOSEN.matcher(text).replaceAll("").replace("{assignee}", "nobody");
        return unchosen.replace("{openChats}", "").replaceAll("\\s{2,}", " ").strip();
    }

    /** The summary, naming users through {@code names} (user id to display name). */
    public static String of(Decision decision, Function<String, String> names) {
        StringBuilder text = new StringBuilder();
        text.append(decision.assignee() == null ? "Left unassigned" : "Assigned to " + names.apply(decision.assignee()));
        if (!decision.notes().isEmpty()) {
            text.append(": ").append(String.join("; ", decision.notes()));
        } else if (decision.assignee() == null) {
            text.append(": no rule chose an assignee");
        }
        List<String> skipped = new ArrayList<>();
        int more = 0;
        for (CandidateOutcome candidate : decision.candidates()) {
            if (candidate.eligible()) {
                continue;
            }
            if (skipped.size() < MAX_SKIPPED_LISTED) {
                skipped.add(names.apply(candidate.userId()) + " skipped: " + String.join(", ", candidate.reasons()));
            } else {
                more++;
            }
        }
        for (String line : skipped) {
            text.append("; ").append(line);
        }
        if (more > 0) {
            text.append("; and ").append(more).append(" more skipped");
        }
        return text.toString();
    }
}
