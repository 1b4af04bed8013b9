package org.convrouter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;

/** The repository's own rules/ folder, compiled once per test JVM: tests exercise the real policy. */
public final class Policy {

    public static final Path RULES = Path.of("rules");
    /** A rule file an analyst might add: a new version of the policy that still passes the shipped scenarios. */
    public static final String ESCALATIONS = """
            package policy;
            import org.convrouter.routing.Candidate;
            import org.convrouter.routing.Exclusion;
            rule "Users on the Escalations team are never auto-assigned chats"
                salience 100
            when
                $c : Candidate( memberOf("escalations") )
            then
                insert( new Exclusion( $c, "on the Escalations team" ) );
            end
            """;
    private static RuleSet compiled;

    private Policy() {}

    public static synchronized RuleSet repoRules() {
        if (compiled == null) {
            compiled = new RuleSetCompiler().compile(RULES);
        }
        return compiled;
    }

    public static ActiveRules active() {
        return new ActiveRules(repoRules());
    }

    /** Copies the repository's rules folder (policy files and scenarios) into {@code target}, for tests that edit it. */
    public static void copyRulesTo(Path target) {
        try (Stream<Path> files = Files.walk(RULES)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(RULES.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
