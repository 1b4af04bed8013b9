package org.convrouter.rules;

import java.util.List;

/** The rule-set versions that went live, shared by every instance. Thread-safe. */
public interface ActivationHistory {

    /** Up to {@code limit} activations older than {@code before} (null: from the newest), newest first. */
    List<Numbered> list(Long before, int limit);

    /** An activation with its place in the history: the cursor to page on from it. */
    record Numbered(long seq, Activation activation) {}
}
