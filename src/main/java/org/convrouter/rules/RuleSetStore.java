package org.convrouter.rules;

import java.util.List;
import java.util.Optional;

/**
 * The rule sets every instance shares through the database: each published version's files, the
 * active pointer every instance follows, the history of its moves, and where each instance's rules
 * folder was last in step with the pointer. Thread-safe.
 */
public interface RuleSetStore extends ActivationHistory {

    /** The version in force with the history row that made it so; empty until the first publish. */
    Optional<Numbered> active();

    /** The history row the pointer is at: moves with every publish, so a publisher can compare and set. */
    long activeSeq();

    /** Whether this version was ever active here (published, or recorded before rule sets were stored). */
    boolean seen(String version);

    /** The files of a published version, sorted by name. */
    List<RuleFile> files(String version);

    /**
     * In one transaction: when {@code activation}'s version is active already, changes nothing
     * ({@link Result#ALREADY_ACTIVE}); when the pointer is still at {@code expectedSeq}, stores the
     * files (once per version), moves the pointer to the version, records the activation and tells
     * the other instances ({@link Result#PUBLISHED}); otherwise changes nothing ({@link Result#MOVED}).
     */
    Publication publish(Activation activation, List<RuleFile> files, long expectedSeq);

    /** Where {@code folder} was last in step: the version it matched or published, and the pointer's seq then. */
    Optional<InStep> inStep(String folder);

    void markInStep(String folder, InStep inStep);

    record InStep(String version, long seq) {}

    enum Result { PUBLISHED, ALREADY_ACTIVE, MOVED }

    /** What a publish did, and the active version after it. */
    record Publication(Result result, Numbered active) {}
}
