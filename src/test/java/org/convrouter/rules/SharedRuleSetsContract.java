package org.convrouter.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.convrouter.Policy;
import org.convrouter.scenario.ScenarioRunner;
import org.convrouter.store.Changes;
import org.convrouter.store.Database;
import org.convrouter.store.JdbiRuleSetStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances on one database run the same rule set: each is a {@link RuleLifecycle} with a
 * rules folder of its own, its own change poller, and (on PostgreSQL) its own connections.
 */
abstract class SharedRuleSetsContract {

    @TempDir
    Path dir;
    private final List<Instance> started = new ArrayList<>();

    /** A database for one more instance: the same schema every time. */
    protected abstract Database database();

    /** Closes what {@link #database} opened, once every instance has stopped. */
    protected abstract void closeDatabases();

    @AfterEach
    void stopInstances() {
        started.forEach(Instance::close);
        closeDatabases();
    }

    /** An instance's rules folder: a copy of the repository's rules. */
    private Path folder(String name) {
        Path folder = dir.resolve(name);
        Policy.copyRulesTo(folder);
        return folder;
    }

    /** An instance's rule lifecycle, started as the service starts it: its folder compiled and gated first. */
    private Instance start(Path folder) {
        Instance instance = new Instance(folder, database());
        started.add(instance);
        instance.changes.start();
        instance.rules.start(() -> instance.compileAndGate(folder), "start-up");
        return instance;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }

    private static void within(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + limit).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void anUploadOnOneInstanceIsActiveOnTheOtherWithinTwoSecondsAndItsFolderIsLeftAlone() throws Exception {
        Instance one = start(folder("one"));
        Instance two = start(folder("two"));
        String before = one.version();
        assertThat(two.version()).isEqualTo(before);

        ReloadOutcome uploaded = one.rules.putFile("escalations.drl", Policy.ESCALATIONS.getBytes(), "upload of escalations.drl by admin");
        assertThat(uploaded.ok()).as(uploaded.toString()).isTrue();
        String after = one.version();
        assertThat(after).isNotEqualTo(before);
        assertThat(Files.readString(one.folder.resolve("escalations.drl"))).isEqualTo(Policy.ESCALATIONS);

        // The follower puts the rule set in force before it records the activation: wait for both.
        within(Duration.ofSeconds(2), () -> two.version().equals(after) && two.rules.current().version().equals(after),
                "the upload active on the other instance");
        assertThat(two.rules.current().triggeredBy()).isEqualTo("upload of escalations.drl by admin");
        assertThat(Files.exists(two.folder.resolve("escalations.drl"))).as("the other folder is not rewritten").isFalse();
        assertThat(two.rules.history(null, 10)).isEqualTo(one.rules.history(null, 10));
        assertThat(one.rules.history(null, 10)).extracting(n -> n.activation().version()).containsExactly(after, before);
    }

    @Test
    void aFolderChangeOnOneInstanceIsPublishedAndTheOtherFollowsIt() throws Exception {
        Instance one = start(folder("one"));
        Instance two = start(folder("two"));
        append(one.folder.resolve("strategy.drl"), "\n// reviewed\n");

        ReloadOutcome reloaded = one.rules.reload("file change in one");
        assertThat(reloaded.ok()).as(reloaded.toString()).isTrue();
        within(Duration.ofSeconds(2), () -> two.version().equals(one.version()), "the change active on the other instance");
        assertThat(two.rules.lastReload().ok()).isTrue();
    }

    @Test
    void anInstanceStartedOnAnOldFolderRunsTheNewerVersionAndReportsItsFolderRefused() throws Exception {
        Instance one = start(folder("one"));
        String old = one.version();
        one.rules.putFile("escalations.drl", Policy.ESCALATIONS.getBytes(), "upload of escalations.drl by admin");
        String newer = one.version();
        int activations = one.rules.history(null, 100).size();

        Instance late = start(folder("late")); // the repository's rules: the version the upload replaced

        assertThat(late.version()).isEqualTo(newer);
        assertThat(late.rules.current().version()).isEqualTo(newer);
        assertThat(late.rules.lastReload().ok()).isFalse();
        assertThat(late.rules.lastReload().errors().get(0).message()).contains(old, "which version " + newer, "has replaced");
        assertThat(late.rules.refused()).as("/health says rules: refused").isTrue();
        assertThat(one.rules.refused()).isFalse();
        assertThat(one.version()).as("nothing undone").isEqualTo(newer);
        assertThat(one.rules.history(null, 100)).hasSize(activations);
    }

    @Test
    void aNewFolderIsPublishedAtStartOnlyWhenTheActiveVersionHasNotMovedSinceItWasLastInStep() throws Exception {
        Instance one = start(folder("one"));
        Instance two = start(folder("two"));
        String first = one.version();
        two.close(); // stopped; its folder is edited while it is down, and meanwhile one takes an upload
        one.rules.putFile("escalations.drl", Policy.ESCALATIONS.getBytes(), "upload of escalations.drl by admin");
        String uploaded = one.version();
        append(two.folder.resolve("strategy.drl"), "\n// edited while the instance was down\n");

        Instance twoAgain = start(two.folder);

        assertThat(twoAgain.version()).isEqualTo(uploaded);
        assertThat(twoAgain.rules.lastReload().ok()).isFalse();
        assertThat(twoAgain.rules.lastReload().errors().get(0).message()).contains("out of step", "since the folder last held version " + first);
        assertThat(one.rules.history(null, 100)).extracting(n -> n.activation().version()).containsExactly(uploaded, first);
        // Its later edits are refused too: they build on a folder that misses the upload.
        append(two.folder.resolve("strategy.drl"), "\n// edited again\n");
        assertThat(twoAgain.rules.reload("file change in two").ok()).isFalse();
        assertThat(one.version()).isEqualTo(uploaded);

        // one's folder holds the upload (in step): edited while it is down, it is published when it starts.
        one.close();
        append(one.folder.resolve("strategy.drl"), "\n// edited in step\n");
        Instance oneAgain = start(one.folder);
        assertThat(oneAgain.rules.lastReload().ok()).as(oneAgain.rules.lastReload().toString()).isTrue();
        String edited = oneAgain.version();
        assertThat(edited).isNotEqualTo(uploaded);
        assertThat(oneAgain.rules.history(null, 1).get(0).activation().version()).isEqualTo(edited);
        within(Duration.ofSeconds(2), () -> twoAgain.version().equals(edited), "the published folder active on the other instance");
    }

    @Test
    void aStartOnAFolderThatFailsTheGateRunsTheStoredActiveVersion() throws Exception {
        Instance one = start(folder("one"));
        String active = one.version();
        one.close();
        Files.writeString(one.folder.resolve("broken.drl"), "package policy;\n\nrule \"Half written\"\nwhen\n    Candidate( \nthen\nend\n");

        Instance again = start(one.folder);

        assertThat(again.version()).isEqualTo(active);
        assertThat(again.rules.lastReload().ok()).isFalse();
        assertThat(again.rules.lastReload().errors()).anySatisfy(e -> assertThat(e.file()).isEqualTo("broken.drl"));
        assertThat(again.rules.refused()).isTrue();
        // Fixed, the folder is in step still (nothing moved): it is published.
        Files.delete(one.folder.resolve("broken.drl"));
        append(one.folder.resolve("strategy.drl"), "\n// fixed\n");
        assertThat(again.rules.reload("file change").ok()).isTrue();
        assertThat(again.version()).isNotEqualTo(active);
        assertThat(again.rules.refused()).isFalse();
    }

    @Test
    void aStartWhereTheStoredActiveVersionsScenariosNowFailStillRunsItAndReportsTheRulesRefused() throws Exception {
        Instance one = start(folder("one"));
        String active = one.version();
        one.close();
        // What passed when it went live fails now (as a rule that reads the time of day would at night).
        Files.writeString(one.folder.resolve("scenarios").resolve("now-failing.json"), """
                {"name": "passes only by day", "given": {"users": [{"id": "ana"}], "channel": {"kind": "chat"},
                 "settings": {"autoAssign": true, "assignTo": {"type": "users_and_teams", "users": ["ana"], "teams": []}, "onlyAvailable": true}},
                 "expect": {"assignee": null}}
                """);

        Instance again = start(one.folder);

        assertThat(again.version()).isEqualTo(active);
        assertThat(again.rules.current().version()).isEqualTo(active);
        assertThat(again.rules.lastReload().ok()).isFalse();
        assertThat(again.rules.lastReload().errors()).anySatisfy(e -> assertThat(e.message())
                .contains("the database's active rule set " + active + " runs", "scenarios fail on this instance now"));
        assertThat(again.rules.lastReload().errors()).anySatisfy(e -> assertThat(e.file()).isEqualTo("scenarios/now-failing.json"));
        assertThat(again.rules.refused()).isTrue();

        // The scenario put right, a reload of the folder (the same version) is in step and ok again.
        Files.delete(one.folder.resolve("scenarios").resolve("now-failing.json"));
        assertThat(again.rules.reload("file change").ok()).isTrue();
        assertThat(again.rules.refused()).isFalse();
    }

    @Test
    void onADatabaseWithNothingPublishedAFolderThatFailsTheGateStopsStartUp() throws Exception {
        Path folder = folder("one");
        Files.writeString(folder.resolve("broken.drl"), "package policy;\n\nrule \"Half written\"\nwhen\n    Candidate( \nthen\nend\n");
        assertThatThrownBy(() -> start(folder)).isInstanceOfSatisfying(RuleCompilationException.class,
                e -> assertThat(e.errors()).anySatisfy(error -> assertThat(error.file()).isEqualTo("broken.drl")));
    }

    /** One "instance": its folder, its rule lifecycle and its change poller. */
    private final class Instance implements AutoCloseable {
        final Path folder;
        final ActiveRules active = new ActiveRules();
        final RuleSetCompiler compiler = new RuleSetCompiler();
        final RuleSetGate gate;
        final RuleLifecycle rules;
        final Changes changes;

        Instance(Path folder, Database database) {
            this.folder = folder;
            this.gate = new ScenarioRunner(folder.resolve("scenarios"));
            this.rules = new RuleLifecycle(folder, compiler, active, gate, new JdbiRuleSetStore(database.jdbi()),
                    Clock.systemUTC(), ok -> { });
            this.changes = new Changes(database.jdbi(), Duration.ofMillis(200));
            changes.onChange(Changes.RULES, rules::follow);
        }

        RuleSet compileAndGate(Path folder) {
            RuleSet ruleSet = compiler.compile(folder);
            List<RuleError> problems = gate.check(ruleSet);
            if (!problems.isEmpty()) {
                throw new RuleCompilationException(problems);
            }
            return ruleSet;
        }

        String version() {
            return active.current().version();
        }

        @Override
        public void close() {
            changes.close();
        }
    }
}
