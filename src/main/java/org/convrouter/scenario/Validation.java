package org.convrouter.scenario;

import java.util.ArrayList;
import java.util.List;
import org.convrouter.rules.RuleCompilationException;
import org.convrouter.rules.RuleError;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;

/**
 * The analysts' pre-flight check of a set of policy files: compiled, then every scenario run
 * against them; nothing goes live. The {@code validate} command prints it, and
 * {@code POST /api/v1/rules/validate} answers its {@link #report()}, so both say the same.
 *
 * @param ruleSet the compiled rule set; null when the files do not compile (then no scenario ran)
 */
public record Validation(RuleSet ruleSet, List<RuleError> errors, List<ScenarioResult> results) {

    public Validation {
        errors = List.copyOf(errors);
        results = List.copyOf(results);
    }

    /** Compiles {@code files} and, when they compile, runs {@code scenarios} against them. */
    public static Validation of(List<RuleFile> files, RuleSetCompiler compiler, ScenarioRunner scenarios) {
        RuleSet ruleSet;
        try {
            ruleSet = compiler.compile(files);
        } catch (RuleCompilationException e) {
            return new Validation(null, e.errors(), List.of());
        }
        return new Validation(ruleSet, List.of(), scenarios.run(ruleSet));
    }

    public boolean passed() {
        return errors.isEmpty() && results.stream().allMatch(ScenarioResult::passed);
    }

    public long failedScenarios() {
        return results.stream().filter(r -> !r.passed()).count();
    }

    /** The report as the API answers it. */
    public Report report() {
        return new Report(passed() ? "pass" : "fail", ruleSet == null ? null : ruleSet.version(), errors,
                results.stream().map(Validation::check).toList());
    }

    /**
     * {@code expected} and {@code actual} are each difference's two halves ("assignee none" and
     * "'ana'"), joined by "; " when there are several; a failure that is not a comparison (a file
     * that cannot be read, say) has no expected part, and its message as the actual one.
     */
    private static ScenarioCheck check(ScenarioResult result) {
        if (result.passed()) {
            return new ScenarioCheck(result.file(), result.line(), result.column(), result.name(), "pass", null, null);
        }
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (String failure : result.failures()) {
            int but = failure.indexOf(" but got ");
            if (failure.startsWith("expected ") && but > 0) {
                expected.add(failure.substring("expected ".length(), but));
                actual.add(failure.substring(but + " but got ".length()));
            } else {
                actual.add(failure);
            }
        }
        return new ScenarioCheck(result.file(), result.line(), result.column(), result.name(), "fail",
                expected.isEmpty() ? null : String.join("; ", expected), String.join("; ", actual));
    }

    /** {@code status} "pass" or "fail"; {@code version} the version the files would be, null when they do not compile. */
    public record Report(String status, String version, List<RuleError> errors, List<ScenarioCheck> scenarios) {}

    /** One scenario's outcome; line and column are 0 unless the file could not be read there. */
    public record ScenarioCheck(String file, int line, int column, String name, String status, String expected, String actual) {}
}
