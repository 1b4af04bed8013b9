package org.convrouter.rules;

import java.util.List;

/** Durable record of the rule-set versions that went live. Thread-safe. */
public interface ActivationHistory {

    void record(Activation activation);

    /** Newest first. */
    List<Activation> list(int limit);
}
