package org.convrouter.scenario;

import java.util.List;

/** One scenario's outcome: passed, or the differences between expected and actual. */
public record ScenarioResult(String file, String name, List<String> failures) {

    public boolean passed() {
        return failures.isEmpty();
    }
}
