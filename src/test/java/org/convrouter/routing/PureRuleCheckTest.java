package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.routing.ExtraRules.HEADER;
import static org.convrouter.routing.ExtraRules.withDrl;
import static org.convrouter.routing.ExtraRules.withExtraRule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.convrouter.Policy;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which rule sets' outcomes may be remembered, and by which fields. A wrong yes, or a field read
 * but not named, would give a request the outcome of another; a wrong no only costs speed, so
 * every doubtful case must answer no.
 */
class PureRuleCheckTest {

    @Test
    void theShippedPolicyIsRememberedByTheCookieFlagAndCandidateProfilesOnly() {
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(RuleSetCompiler.read(Policy.RULES));

        assertThat(verdict.remember()).as(verdict.reason()).isTrue();
        assertThat(verdict.reads().contact()).containsExactly("cookieTracked");
        assertThat(verdict.reads().message()).isEmpty();
        assertThat(verdict.reads().candidate()).containsExactlyInAnyOrder("role", "paidSeat", "active", "inboxAccess",
                "available", "selectedDirectly", "primaryMemberOfSelectedTeam");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // the clock, chance and the world outside the facts
            "$d : RoutingDecision() eval( java.time.LocalTime.now().getHour() >= 18 ) then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() eval( System.currentTimeMillis() % 2 == 0 ) then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() eval( Math.random() < 0.5 ) then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() then $d.useStrategy( new java.util.Random().nextBoolean() ? Strategy.RANDOM : Strategy.NONE );",
            "$c : Candidate( !available ) then insert( new Exclusion( $c, drools.getRule().getName() ) );",
            "$c : Candidate( !available ) then insert( new Exclusion( $c, kcontext.getRule().getName() ) );",
            "$c : Candidate( !available ) then String why = \"away\"; insert( new Exclusion( $c, why ) );",
            "RoutingSettings( this == RoutingSettings.DEFAULT ) $d : RoutingDecision() then $d.useStrategy( Strategy.RANDOM );",
            // a candidate, contact or message used whole, where any field could be read
            "$c : Candidate( !available ) then insert( new Exclusion( $c, \"away: \" + $c ) );",
            "$c : Candidate( !available ) then insert( new Exclusion( $c, $c.toString() ) );",
            "$c : Candidate( this.hashCode() % 2 == 0 ) then insert( new Exclusion( $c, \"x\" ) );",
            "$k : Contact() $c : Candidate( userId == $k ) then insert( new Exclusion( $c, \"x\" ) );",
            "$k : Contact() $c : Candidate( $k == userId ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate() $d : RoutingDecision() then $d.notifyByEmail( $c, \"s\", \"\" + $c );",
            "$c : Candidate( !available ) then insert( $c );",
            "$c : Candidate( !available ) then insert( new Exclusion( $c, \"x\" ) ); System.out.println( $c );",
            "$c : Candidate( withLoad( null ) != null ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( $t : teams ) eval( $t.toString().length() > 2 ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( teams.getClass() != null ) then insert( new Exclusion( $c, \"x\" ) );",
            "$e : Exclusion( candidate.toString() != \"\" ) $d : RoutingDecision() then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() eval( $d.assignee().equals( null ) ) then $d.useStrategy( Strategy.RANDOM );",
            "$m : IncomingMessage() $d : RoutingDecision() then $d.notifyByEmail( null, $m.text().substring( 0 ).getClass().getName() );",
            "$c : Candidate( !available ) eval( \"x\".getClass() != null ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( !available ) eval( ( \"x\" ).getClass() != null ) then insert( new Exclusion( $c, \"x\" ) );",
            "$o : Object() then System.out.println( $o );",
            "$r : Record() then System.out.println( $r );",
            "$c : Candidate( \"ana\"; ) then insert( new Exclusion( $c, \"x\" ) );",
            "c : Candidate() eval( c.available() ) then insert( new Exclusion( c, \"x\" ) );",
            "$d : RoutingDecision() then $d.assignTo( new Candidate( \"x\", null, null, CandidateRole.OWNER, Seat.SERVICE, true, "
                    + "true, true, true, false, false, false, null, null, 0, null ), Strategy.CONTACT_OWNER );",
            "$d : RoutingDecision() $s : RoutingSettings() then $d.useStrategy( $s.onlyAvailable() ? Strategy.RANDOM : Strategy.NONE );",
            "$d : RoutingDecision() Number( intValue > 1 ) from accumulate( Candidate(), init( int n = 0; ) action( n++; ) "
                    + "result( n ) ) then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() Number( intValue > 1 ) from accumulate( $c : Candidate(), myCount( $c ) ) "
                    + "then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() $l : java.util.List() from collect( Candidate() ) eval( $l.get( 0 ) != null ) "
                    + "then $d.useStrategy( Strategy.RANDOM );",
            "$c : Candidate( !available ) over window:time( 1m ) then insert( new Exclusion( $c, \"x\" ) );",
            // matches drawn from a set, whose order its equality does not fix
            "$c : Candidate( $t : teams ) String( this == \"vip\" ) from $t then insert( new Exclusion( $c, \"vip\" ) );",
            "$c : Candidate( role == CandidateRole.OWNER ) $t : String() from $c.teams() $d : RoutingDecision() "
                    + "then $d.notifyByEmail( $c, $t );",
            "$d : RoutingDecision() $s : java.util.Set() from accumulate( $c : Candidate(), collectSet( $c ) ) "
                    + "$c : Candidate() from $s then $d.assignTo( $c, Strategy.NONE );",
            // the rules read fields that differ on nearly every request: kept from being remembered
            "$c : Candidate( role == CandidateRole.OWNER, openChats > 3 ) then insert( new Exclusion( $c, \"busy\" ) );",
            "IncomingMessage( subject != null, subject.contains( \"refund\" ) ) $d : RoutingDecision() then $d.useStrategy( Strategy.RANDOM );",
            "Contact( email.endsWith( \"@vip.example\" ) ) $d : RoutingDecision() then $d.useStrategy( Strategy.LEAST_BUSY );",
            "$m : IncomingMessage() $c : Candidate( role == CandidateRole.OWNER ) $d : RoutingDecision() "
                    + "then $d.notifyByEmail( $c, \"s\", $m.text() );",
    })
    void rulesWhoseOutcomeCouldDependOnWhatIsNotInTheKeyAreNotRemembered(String rule) {
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(withExtraRule(rule));

        assertThat(verdict.remember()).as("remembered: " + rule).isFalse();
    }

    /**
     * Rule sets a review showed to be wrongly remembered: each compiled, passed the check, and got a
     * different decision from a remembered outcome than from running the rules.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            // a rule inserting a fact of its own wakes a rule that seemed unable to fire
            "rule \"mark\" when $c : Candidate( !available ) then insert( \"away\" ); end\n"
                    + "rule \"hidden\" when String() $c : Candidate( !available ) "
                    + "then insert( new Exclusion( $c, \"away: \" + $c.name() ) ); end",
            // unicode escapes close strings and comments before Java reads the code
            "rule \"u\" when $c : Candidate( !available ) then insert( new Exclusion( $c, \"away: \\u0022 + $c.name() + \\u0022\" ) ); end",
            "rule \"u\" when $c : Candidate( !available ) then insert( new Exclusion( $c, \"away\" ) ); "
                    + "// \\u000a drools.insert( new Exclusion( $c, $c.name() ) );\n end",
            // text of values that hold a candidate, or name their identity
            "rule \"a\" salience 10 when $c : Candidate( !available ) then insert( new Exclusion( $c, \"away\" ) ); end\n"
                    + "rule \"b\" when $e : Exclusion( reason == \"away\" ) $d : RoutingDecision() "
                    + "then $d.notifyByEmail( $e.candidate(), \"away\", \"record: \" + $e ); end",
            "rule \"b\" when $c : Candidate( !available ) $x : Object() from $c then insert( new Exclusion( $c, \"away \" + $x ) ); end",
            "rule \"b\" when $c : Candidate( !available ) accumulate( $o : Candidate(), $l : collectList( $o ) ) "
                    + "then insert( new Exclusion( $c, \"among \" + $l ) ); end",
            "rule \"b\" when $c : Candidate( !available ) $d : RoutingDecision() then insert( new Exclusion( $c, \"in \" + $d ) ); end",
            // the order of a set, which its equality does not fix
            "rule \"b\" activation-group \"t\" when $c : Candidate( !available ) $t : String() from $c.teams "
                    + "then insert( new Exclusion( $c, \"team \" + $t ) ); end",
            "rule \"b\" when $c : Candidate( !available, $t : teams ) then insert( new Exclusion( $c, \"teams \" + $t ) ); end",
            // (actions and System in conditions, and full class names, are now refused by the compiler: HostileRulesTest)
            // a binding with a constraint binds its leading value, with all its reads
            "rule \"b\" when Contact( $me : this != null ) $c : Candidate( !available ) "
                    + "then insert( new Exclusion( $c, \"for \" + $me.name() ) ); end",
    })
    void holesFoundInReviewAreNotRemembered(String rules) {
        List<RuleFile> files = List.of(RuleFile.of("extra.drl",
                (HEADER + rules + "\n").getBytes(StandardCharsets.UTF_8)));
        new RuleSetCompiler().compile(files); // each is real DRL

        PureRuleCheck.Verdict verdict = PureRuleCheck.check(files);

        assertThat(verdict.remember()).as("remembered: " + rules).isFalse();
    }

    @Test
    void aBindingWithAConstraintNamesTheFieldsItsValueIsReadFor() {
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(withExtraRule(
                "Contact( $me : this != null ) $c : Candidate( !available ) then insert( new Exclusion( $c, \"for \" + $me.owner() ) );"));

        assertThat(verdict.remember()).as(verdict.reason()).isTrue();
        assertThat(verdict.reads().contact()).contains("owner");
    }

    @Test
    void globalsFunctionsDeclarationsAndTimedRulesAreNotRemembered() {
        for (String drl : List.of(
                "global java.util.List seen;\n",
                "function boolean late() { return java.time.LocalTime.now().getHour() > 17; }\n",
                "declare Shift\n    late : boolean\nend\n",
                "rule \"Timed\"\n    timer ( int: 1s )\nwhen\n    $d : RoutingDecision()\nthen\n    $d.useStrategy( Strategy.RANDOM );\nend\n",
                "rule \"Dated\"\n    date-effective \"1-Jan-2030\"\nwhen\n    $d : RoutingDecision()\nthen\n"
                        + "    $d.useStrategy( Strategy.RANDOM );\nend\n",
                "rule \"Base\"\nwhen\n    $c : Candidate( !available )\nthen\nend\n"
                        + "rule \"Child\" extends \"Base\"\nwhen\n    $d : RoutingDecision()\nthen\n    $d.assignTo( $c, Strategy.NONE );\nend\n")) {
            PureRuleCheck.Verdict verdict = PureRuleCheck.check(withDrl(HEADER + drl));

            assertThat(verdict.remember()).as("remembered: " + drl).isFalse();
        }
    }

    @Test
    void aRuleReadingTheOwnerOfTheContactIsRememberedByTheOwner() {
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(withExtraRule(
                "$k : Contact( $owner : owner ) $c : Candidate( role == CandidateRole.OWNER, userId == $owner ) "
                        + "then insert( new Exclusion( $c, \"x\" ) );"));

        assertThat(verdict.remember()).as(verdict.reason()).isTrue();
        assertThat(verdict.reads().contact()).containsExactlyInAnyOrder("cookieTracked", "owner");
        assertThat(verdict.reads().candidate()).contains("userId");
    }

    @Test
    void fieldsNamedOnlyInStringsAndCommentsAreNotRead() {
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(withExtraRule(
                "$c : Candidate( !available ) then insert( new Exclusion( $c, \"away: openChats, email\" ) ); // $c.email()"));

        assertThat(verdict.remember()).as(verdict.reason()).isTrue();
        assertThat(verdict.reads().candidate()).doesNotContain("openChats", "email");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "$c : Candidate( memberOf( \"escalations\" ) ) then insert( new Exclusion( $c, \"on the Escalations team\" ) );",
            "Contact( hasOwner ) $d : RoutingDecision() then $d.useStrategy( Strategy.RANDOM );",
            "$c : Candidate( role == CandidateRole.OWNER, !available ) not Exclusion( candidate == $c ) $d : RoutingDecision() "
                    + "then $d.notifyByEmail( $c, \"Away\", \"Call back\" );",
            "$d : RoutingDecision() Number( intValue > 3 ) from accumulate( $c : Candidate( available ), count( $c ) ) "
                    + "then $d.useStrategy( Strategy.RANDOM );",
            "$s : RoutingSettings() $c : Candidate( role == CandidateRole.OWNER ) String( this == \"vip\" ) "
                    + "from $s.assignTo().teams() then insert( new Exclusion( $c, \"vip\" ) );",
            "$d : RoutingDecision( strategy == Strategy.NONE ) Channel( chatKind, name.startsWith( \"VIP\" ) ) "
                    + "then $d.useStrategy( Strategy.RANDOM );",
            "$c : Candidate( available ) $d : RoutingDecision() eval( $d.assignee() == null || $d.assignee() != $c ) "
                    + "then $d.assignTo( $c, Strategy.FALLBACK_USER );",
            "$c : Candidate( !active, this != null ) then delete( $c );",
            "$d : RoutingDecision() RoutingSettings( assignTo.fallbackUser != null, assignTo.type == AssignToType.CONTACT_OWNER ) "
                    + "then $d.useStrategy( Strategy.NONE );",
    })
    void rulesThatReadNamedFieldsAndUseFactsByReferenceAreRemembered(String rule) {
        List<RuleFile> files = withExtraRule(rule);
        new RuleSetCompiler().compile(files); // real DRL: it compiles

        PureRuleCheck.Verdict verdict = PureRuleCheck.check(files);

        assertThat(verdict.remember()).as(verdict.reason()).isTrue();
    }

    @Test
    void memberOfReadsTheCandidatesTeams() {
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(withExtraRule(
                "$c : Candidate( memberOf( \"escalations\" ) ) then insert( new Exclusion( $c, \"x\" ) );"));

        assertThat(verdict.reads().candidate()).contains("teams");
    }

    @Test
    void manualAssignmentRulesCannotFireInARoutingSessionAndAreSkipped() {
        // the shipped manual-assignment rules match AssignmentRequest, which no routing session holds
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(withDrl("""
                package policy;
                import org.convrouter.conversation.AssignmentRequest;
                import org.convrouter.conversation.Refusal;
                rule "Anything goes where it never fires"
                when
                    $request : AssignmentRequest( targetIsUser )
                then
                    insert( new Refusal( $request, java.time.LocalTime.now().toString() ) );
                end
                """));

        assertThat(verdict.remember()).as(verdict.reason()).isTrue();
    }

}
