package org.convrouter.scenario;

import java.util.List;

/**
 * One scenario's outcome: passed, or the differences between expected and actual. {@code line}
 * and {@code column} point into the file when it could not be read as JSON (0 otherwise).
 */
public record ScenarioResult(String file, int line, int column, String name, List<String> failures) {

    public ScenarioResult(String file, String name, List<String> failures) {
        this(file, 0, 0, name, failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** The file, with the position when there is one, as editors and compilers print it. */
    public String where() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
