package org.convrouter.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * R2: routing settings may only name users with a paid seat, and may only name users and teams
 * that exist. A user who loses their seat later is not refused here; R1 simply skips them.
 */
public final class RoutingSettingsValidator {

    /** Every problem with the settings, empty when they may be saved. */
    public List<Problem> problems(RoutingSettings settings, Directory directory) {
        List<Problem> problems = new ArrayList<>();
        AssignTo assignTo = settings.assignTo();
        if (assignTo.type() == AssignToType.USERS_AND_TEAMS) {
            for (int i = 0; i < assignTo.users().size(); i++) {
                checkUser(assignTo.users().get(i), "assignTo.users[" + i + "]", directory, problems);
            }
            for (int i = 0; i < assignTo.teams().size(); i++) {
                String teamId = assignTo.teams().get(i);
                if (directory.team(teamId).isEmpty()) {
                    problems.add(new Problem("assignTo.teams[" + i + "]", teamId, "unknown team '" + teamId + "'"));
                }
            }
        } else if (assignTo.fallbackUser() != null) {
            checkUser(assignTo.fallbackUser(), "assignTo.fallbackUser", directory, problems);
        }
        return problems;
    }

    private static void checkUser(String userId, String field, Directory directory, List<Problem> problems) {
        directory.user(userId).ifPresentOrElse(user -> {
            if (!user.hasPaidSeat()) {
                problems.add(new Problem(field, userId, "user '" + userId + "' (" + user.name()
                        + ") has no paid seat; automatic routing needs a sales or service seat"));
            }
        }, () -> problems.add(new Problem(field, userId, "unknown user '" + userId + "'")));
    }

    /** One refusal: the field, the offending id, and a sentence naming it. */
    public record Problem(String field, String id, String message) {}
}
