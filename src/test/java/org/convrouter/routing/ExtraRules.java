package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.convrouter.Policy;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSetCompiler;

/** The shipped policy with one more rule file, for tests of the engine and of the checks on rule sets. */
final class ExtraRules {

    static final String HEADER = """
            package policy;
            import org.convrouter.routing.*;
            import org.convrouter.directory.*;
            """;

    /** A profile-only rule that excludes some users from chats only (so outcomes differ by channel kind). */
    static final String SALES_SEATS = """
            rule "Sales seats take no chats picked through a team"
                salience 100
            when
                Channel( kind == ChannelKind.CHAT )
                $c : Candidate( seat == Seat.SALES, role == CandidateRole.SELECTED, !selectedDirectly )
            then
                insert( new Exclusion( $c, "sales seats take chats only when named" ) );
            end
            """;

    /** The rules guide's worked example 2: it reads teams, so every candidate is judged on their own. */
    static final String ESCALATIONS = """
            rule "Users on the Escalations team are never auto-assigned chats"
                salience 100
            when
                Channel( kind == ChannelKind.CHAT )
                $c : Candidate( memberOf( "escalations" ) )
            then
                insert( new Exclusion( $c, "on the Escalations team" ) );
            end
            """;

    private ExtraRules() {}

    /** The shipped files plus {@code rules} (rule text without package or imports) in extra.drl. */
    static List<RuleFile> withRules(String rules) {
        return withDrl(HEADER + rules);
    }

    /** The shipped files plus one rule, "when ... then ..." on one line. */
    static List<RuleFile> withExtraRule(String whenThen) {
        return withDrl(HEADER + "\nrule \"Extra rule\"\nwhen\n    " + whenThen.replace(" then ", "\nthen\n    ") + "\nend\n");
    }

    /** The shipped files plus a whole DRL file. */
    static List<RuleFile> withDrl(String drl) {
        List<RuleFile> files = new ArrayList<>(RuleSetCompiler.read(Policy.RULES));
        files.add(RuleFile.of("extra.drl", drl.getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    /** Two decisions agree on everything a decision records but its id, time and duration. */
    static void assertSameDecision(String context, Decision actual, Decision expected) {
        assertThat(actual.candidates()).as(context).isEqualTo(expected.candidates());
        assertThat(actual.strategy()).as(context).isEqualTo(expected.strategy());
        assertThat(actual.firedRules()).as(context).isEqualTo(expected.firedRules());
        assertThat(actual.notes()).as(context).isEqualTo(expected.notes());
        assertThat(actual.assignee()).as(context).isEqualTo(expected.assignee());
        assertThat(actual.notifications()).as(context).isEqualTo(expected.notifications());
    }
}
