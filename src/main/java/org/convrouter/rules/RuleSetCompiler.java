package org.convrouter.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.convrouter.support.Sha256;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * Compiles every policy file at the top of a rules folder into one {@link RuleSet}, or throws
 * {@link RuleCompilationException} with every error located by file, line and column. Uses the
 * classic DRL compiler through a KieFileSystem with a unique ReleaseId per build (a shared id races
 * and leaks modules); the module is removed from the repository once its KieBase exists.
 * Thread-safe.
 */
public final class RuleSetCompiler {

    private static final String RESOURCE_DIR = "src/main/resources/policy/";
    private static final AtomicLong BUILDS = new AtomicLong();
    /** The parser's position in its text: "[ERR 102] Line 5:34 mismatched input", the column counted from 0. */
    private static final Pattern PARSER_POSITION = Pattern.compile("Line (\\d+):(\\d+)");
    /** The constraint an expression error quotes: "Unable to Analyse Expression paidSet == false:". */
    private static final Pattern QUOTED_EXPRESSION = Pattern.compile("Unable to Analyse Expression (.+?):\\R");

    public RuleSet compile(Path folder) {
        return compile(read(folder));
    }

    public RuleSet compile(List<RuleFile> files) {
        if (files.isEmpty()) {
            throw new RuleCompilationException(List.of(new RuleError("", 0, 0, "no .drl or .drl.csv file in the rules folder")));
        }
        List<RuleError> refused = RuleSandbox.checkText(files);
        if (!refused.isEmpty()) {
            throw new RuleCompilationException(refused);
        }
        KieServices kie = KieServices.Factory.get();
        ReleaseId releaseId = kie.newReleaseId("org.convrouter.policy", "rules", "1.0." + BUILDS.incrementAndGet());
        KieFileSystem kfs = kie.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        for (RuleFile file : files) {
            kfs.write(RESOURCE_DIR + file.name(), file.content());
        }
        KieBuilder builder;
        try {
            builder = kie.newKieBuilder(kfs).buildAll();
        } catch (RuntimeException e) {
            // A table Drools cannot even read as a spreadsheet throws instead of becoming a message;
            // so may other input. Read here, not before every build: start-up pays for no second parse.
            kie.getRepository().removeKieModule(releaseId);
            List<RuleError> unreadable = files.stream().map(DecisionTableRows::unreadable).flatMap(Optional::stream).toList();
            throw new RuleCompilationException(!unreadable.isEmpty() ? unreadable
                    : List.of(new RuleError("", 0, 0, "the rules could not be compiled: " + e.getMessage())));
        }
        List<Message> messages = builder.getResults().getMessages(Message.Level.ERROR);
        if (!messages.isEmpty()) {
            kie.getRepository().removeKieModule(releaseId);
            Map<String, String[]> lines = new HashMap<>(); // each file's compiled lines, split once for all its errors
            files.forEach(f -> lines.put(f.name(), DecisionTableRows.compiledText(f).split("\\R", -1)));
            throw new RuleCompilationException(CompileErrors.explain(messages.stream().map(m -> toError(m, lines)).toList(), lines));
        }
        KieContainer container = kie.newKieContainer(releaseId);
        try {
            KieBase kieBase = container.getKieBase();
            List<RuleError> unsafe = RuleSandbox.checkClasses(files, kieBase);
            if (!unsafe.isEmpty()) {
                throw new RuleCompilationException(unsafe);
            }
            return new RuleSet(versionOf(files), files, kieBase);
        } finally {
            kie.getRepository().removeKieModule(releaseId);
        }
    }

    /** Reads the policy files at the top of the folder, sorted by name. */
    public static List<RuleFile> read(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            List<RuleFile> files = new ArrayList<>();
            for (Path path : entries.sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = path.getFileName().toString();
                if (Files.isRegularFile(path) && RuleFile.isPolicyFile(name)) {
                    byte[] content = Files.readAllBytes(path);
                    files.add(RuleFile.of(name, content));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules folder " + folder, e);
        }
    }

    /** The version is derived from the content: the same files always give the same version. */
    static String versionOf(List<RuleFile> files) {
        StringBuilder all = new StringBuilder();
        files.stream().sorted(Comparator.comparing(RuleFile::name))
                .forEach(f -> all.append(f.name()).append('\0').append(f.sha256()).append('\n'));
        return Sha256.hex(all.toString()).substring(0, 12);
    }

    private static RuleError toError(Message message, Map<String, String[]> lines) {
        String path = message.getPath() == null ? "" : message.getPath();
        String file = path.startsWith("policy/") ? path.substring("policy/".length()) : path;
        String text = message.getText().strip();
        if (RuleFile.isDecisionTable(file)) {
            // Drools places a table's errors in the rules it generates from it; the analyst sees rows.
            return new RuleError(file, DecisionTableRows.rowOf(message, lines.get(file)), 0, text);
        }
        int column = message.getColumn() > 0 ? message.getColumn() : columnOf(message, lines.get(file));
        return new RuleError(file, Math.max(message.getLine(), 0), column, text);
    }

    /** The expression an error quotes ("Unable to Analyse Expression paidSet == false:"), or null. */
    static String quotedExpression(Message message) {
        Matcher quoted = QUOTED_EXPRESSION.matcher(message.getText());
        return quoted.find() ? quoted.group(1).strip() : null;
    }

    /**
     * Drools leaves the column of most errors 0 and says where in the text instead; this finds the
     * column (from 1, as editors count) from the parser's position, or from the expression an error
     * quotes, found once on its line. 0 when the text says nothing certain (openapi's "0 when unknown").
     */
    static int columnOf(Message message, String[] lines) {
        String text = message.getText();
        Matcher parser = PARSER_POSITION.matcher(text);
        if (parser.find() && Integer.parseInt(parser.group(1)) == message.getLine()) {
            return Integer.parseInt(parser.group(2)) + 1;
        }
        String expression = quotedExpression(message);
        if (expression == null || lines == null || message.getLine() < 1 || message.getLine() > lines.length) {
            return 0;
        }
        String line = lines[message.getLine() - 1];
        int at = line.indexOf(expression);
        boolean once = at >= 0 && line.indexOf(expression, at + 1) < 0; // twice: which one is meant is unknown
        return once ? at + 1 : 0;
    }
}
