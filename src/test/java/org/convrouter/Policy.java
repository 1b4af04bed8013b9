package org.convrouter;

import java.nio.file.Path;
import java.time.Clock;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;

/** The repository's own rules/ folder, compiled once per test JVM: tests exercise the real policy. */
public final class Policy {

    public static final Path RULES = Path.of("rules");
    private static RuleSet compiled;

    private Policy() {}

    public static synchronized RuleSet repoRules() {
        if (compiled == null) {
            compiled = new RuleSetCompiler(Clock.systemUTC()).compile(RULES);
        }
        return compiled;
    }

    public static ActiveRules active() {
        return new ActiveRules(repoRules());
    }
}
