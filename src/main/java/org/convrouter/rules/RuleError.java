package org.convrouter.rules;

/** One compile or scenario problem, located for the analyst. Line and column are 0 when unknown. */
public record RuleError(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
