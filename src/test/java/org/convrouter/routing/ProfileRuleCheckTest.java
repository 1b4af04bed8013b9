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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Which rule sets may be run one selected candidate per profile. A wrong yes would give users the
 * outcome of someone else; a wrong no only costs speed, so every doubtful case must answer no.
 */
class ProfileRuleCheckTest {

    @Test
    void theShippedPolicyJudgesSelectedCandidatesByProfile() {
        ProfileRuleCheck.Verdict verdict = ProfileRuleCheck.check(RuleSetCompiler.read(Policy.RULES));

        assertThat(verdict.byProfile()).as(verdict.reason()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // reads who the user is, their teams or their load
            "$c : Candidate( memberOf(\"escalations\") ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( openChats > 5 ) then insert( new Exclusion( $c, \"busy\" ) );",
            "$c : Candidate( userId == \"ana\" ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( primaryTeam == \"t1\" ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( $n : name, available ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( this != null ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( available ) eval( $c.lastChatAssignedAt() != null ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( available ) eval( isVip( $c ) ) then insert( new Exclusion( $c, \"x\" ) );",
            "$c : Candidate( available ) Exclusion( candidate.email == \"a@b\" ) then insert( new Exclusion( $c, \"x\" ) );",
            // does something per selected candidate other than excluding them
            "$d : RoutingDecision() $c : Candidate( available ) then $d.notifyByEmail( $c, \"s\", \"t\" );",
            "$d : RoutingDecision() $c : Candidate( available ) then $d.assignTo( $c, Strategy.LEAST_BUSY );",
            "$c : Candidate( available ) then insert( new Exclusion( $c, \"x\" ) ); System.out.println( $c );",
            "$c : Candidate( available ) then insert( new Exclusion( $c, \"x\" + drools.getRule().getName() ) );",
            "Candidate( !available ) $d : RoutingDecision() then $d.useStrategy( Strategy.RANDOM );",
            // fires a number of times that depends on how many users share a profile
            "$c : Candidate( !available ) Exclusion() then insert( new Exclusion( $c, \"x\" ) );",
            "$a : Candidate( !available ) $b : Candidate( available ) then insert( new Exclusion( $a, \"x\" ) );",
            "$e : Exclusion( reason == \"away\" ) $d : RoutingDecision() then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() Number( intValue > 3 ) from accumulate( Candidate( available ), count( 1 ) ) "
                    + "then $d.useStrategy( Strategy.RANDOM );",
            "$d : RoutingDecision() $all : java.util.List( size > 3 ) from collect( Exclusion() ) "
                    + "then $d.useStrategy( Strategy.RANDOM );",
            "$o : Object() then System.out.println( $o );",
            "$c : Candidate( \"ana\"; ) then insert( new Exclusion( $c, \"x\" ) );",
            // found in review: variables without $, sums inside accumulate, bound "constants", !=
            "c : Candidate() eval( c.openChats() >= 3 ) then insert( new Exclusion( c, \"busy\" ) );",
            "$c : Candidate() not Number( intValue < 3 ) from accumulate( Channel(), sum( $c.openChats() ) ) "
                    + "then insert( new Exclusion( $c, \"busy\" ) );",
            "OWNER : CandidateRole() from CandidateRole.SELECTED $c : Candidate( role == OWNER, openChats >= 3 ) "
                    + "then insert( new Exclusion( $c, \"busy\" ) );",
            "$c : Candidate( !available ) exists Exclusion( candidate != $c, reason == \"away\" ) "
                    + "then insert( new Exclusion( $c, \"not the only one away\" ) );",
    })
    void rulesThatCouldTellUsersOfOneProfileApartAreNotJudgedByProfile(String rule) {
        ProfileRuleCheck.Verdict verdict = ProfileRuleCheck.check(withExtraRule(rule));

        assertThat(verdict.byProfile()).as("accepted: " + rule).isFalse();
        assertThat(verdict.reason()).contains("Extra rule");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "$c : Candidate( !active, seat == Seat.SALES ) then insert( new Exclusion( $c, \"sales seats rest\" ) );",
            "RoutingSettings( onlyAvailable ) Channel( kind == ChannelKind.EMAIL ) "
                    + "$c : Candidate( role == CandidateRole.SELECTED, !selectedDirectly ) "
                    + "then insert( new Exclusion( $c, \"email only to named users\" ) );",
            "$c : Candidate( available ) eval( $c.inboxAccess() ) not Exclusion( candidate == $c ) "
                    + "then insert( new Exclusion( $c, \"x\" ) ); // a comment naming $c.userId",
            // owners and fallback users stand alone: anything may be read and done with them
            "$d : RoutingDecision() $o : Candidate( role == CandidateRole.OWNER, email != null, openChats < 3 ) "
                    + "then $d.notifyByEmail( $o, \"s\", $o.name() );",
            "$d : RoutingDecision() not Candidate( paidSeat, available ) then $d.leaveUnassigned( Strategy.NONE );",
    })
    void rulesThatReadOnlyProfilesKeepTheRuleSetJudgedByProfile(String rule) {
        ProfileRuleCheck.Verdict verdict = ProfileRuleCheck.check(withExtraRule(rule));

        assertThat(verdict.byProfile()).as(verdict.reason()).isTrue();
    }

    @Test
    void aRuleMatchingSelectedCandidatesInAnActivationGroupIsNotJudgedByProfile() {
        List<RuleFile> files = withDrl(HEADER + """
                rule "Extra rule"
                    activation-group "strategy"
                when
                    $c : Candidate( !available )
                then
                    insert( new Exclusion( $c, "x" ) );
                end
                """);

        assertThat(ProfileRuleCheck.check(files).byProfile()).isFalse();
    }

    @Test
    void aRuleExtendingAnotherIsNotJudgedByProfile() {
        List<RuleFile> files = withDrl(HEADER + """
                rule "Away users"
                when
                    $c : Candidate( !available )
                then
                    insert( new Exclusion( $c, "away" ) );
                end

                rule "Away users are emailed" extends "Away users"
                when
                    $d : RoutingDecision()
                then
                    $d.notifyByEmail( $c, "s", "t" );
                end
                """);

        assertThat(ProfileRuleCheck.check(files).byProfile()).isFalse();
    }

    @Test
    void aRuleCallingAQueryIsNotJudgedByProfile() {
        List<RuleFile> files = withDrl(HEADER + """
                query crowded()
                    Number( intValue > 2 ) from accumulate( Candidate( available ), count( 1 ) )
                end

                rule "Extra rule"
                    activation-group "strategy"
                    salience 60
                when
                    $d : RoutingDecision()
                    crowded()
                then
                    $d.leaveUnassigned( Strategy.UNASSIGNED );
                end
                """);

        assertThat(ProfileRuleCheck.check(files).byProfile()).isFalse();
    }

    @Test
    void queriesDoNotKeepARuleSetFromBeingJudgedByProfile() {
        List<RuleFile> files = withDrl(HEADER + """
                query "away users"
                    $c : Candidate( !available )
                end
                """);

        assertThat(ProfileRuleCheck.check(files).byProfile()).isTrue();
    }

}
