package org.convrouter.rules;

import java.util.List;

/** Durable record of the rule-set versions that went live. Thread-safe. */
public interface ActivationHistory {

    void record(Activation activation);

    /** Up to {@code limit} activations older than {@code before} (null: from the newest), newest first. */
    List<Numbered> list(Long before, int limit);

    /** An activation with its place in the history: the cursor to page on from it. */
    record Numbered(long seq, Activation activation) {}
}
