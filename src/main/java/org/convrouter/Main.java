package org.convrouter;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.convrouter.rules.RuleCompilationException;
import org.convrouter.rules.RuleError;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: {@code validate} (and, with the service, {@code serve}). */
@Command(name = "conversation-router", mixinStandardHelpOptions = true,
        subcommands = {Main.Validate.class},
        description = "Routes customer conversations to agents and teams; policy lives in DRL files.")
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "validate", description = "Compile the rules folder; print every error with file:line:column. Exit 0 only when all is well.")
    static final class Validate implements Callable<Integer> {

        @Option(names = "--rules", defaultValue = "./rules", description = "the rules folder (default: ${DEFAULT-VALUE})")
        Path rules;

        @Override
        public Integer call() {
            try {
                RuleSet ruleSet = new RuleSetCompiler(Clock.systemUTC()).compile(rules);
                System.out.printf("OK  rules %s compiled: version %s, %d files, %d rules%n", rules,
                        ruleSet.version(), ruleSet.files().size(), ruleSet.ruleNames().size());
                return 0;
            } catch (RuleCompilationException e) {
                for (RuleError error : e.errors()) {
                    System.out.println("ERROR " + error);
                }
                System.out.printf("FAILED rules %s: %d error(s)%n", rules, e.errors().size());
                return 1;
            }
        }
    }
}
