package org.convrouter.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.convrouter.error.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the active rule set safely. Every change (a reload of the folder, an uploaded file) is
 * compiled off the request path of routing and must pass the gate; only then is it activated and
 * recorded. On failure the previous rule set stays active and the errors are kept for
 * {@code GET /api/v1/rules}. Changes are serialised; routing never waits for them.
 */
public final class RuleLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RuleLifecycle.class);
    /** Safe file names: no separators, no leading dot, a policy extension. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    private final Path folder;
    private final RuleSetCompiler compiler;
    private final ActiveRules active;
    private final RuleSetGate gate;
    private final ActivationHistory history;
    private final Clock clock;
    private final Consumer<Boolean> reloadObserver;
    private volatile ReloadOutcome lastReload;
    private volatile Activation current;

    public RuleLifecycle(Path folder, RuleSetCompiler compiler, ActiveRules active, RuleSetGate gate,
                         ActivationHistory history, Clock clock, Consumer<Boolean> reloadObserver) {
        this.folder = folder;
        this.compiler = compiler;
        this.active = active;
        this.gate = gate;
        this.history = history;
        this.clock = clock;
        this.reloadObserver = reloadObserver;
    }

    /** Activates the rule set the service starts on (compiled and gated by the caller) and records it. */
    public synchronized void start(RuleSet first, String startedBy) {
        current = Activation.of(first, clock.instant(), startedBy);
        lastReload = new ReloadOutcome(true, current.activatedAt(), startedBy, List.of());
        history.record(current);
        active.activate(first);
    }

    /** Compiles the rules folder as it is now; activates it when it compiles and passes the gate. */
    public synchronized ReloadOutcome reload(String triggeredBy) {
        List<RuleFile> files;
        try {
            files = RuleSetCompiler.read(folder);
        } catch (UncheckedIOException e) {
            return fail(triggeredBy, List.of(new RuleError("", 0, 0, e.getMessage())));
        }
        return tryActivate(files, triggeredBy);
    }

    /**
     * Validates the folder as it would be with this file written; writes the file and activates
     * only if it passes. A refused upload writes nothing.
     */
    public synchronized ReloadOutcome putFile(String name, byte[] content, String triggeredBy) {
        requireSafeName(name);
        List<RuleFile> files = new ArrayList<>(RuleSetCompiler.read(folder).stream().filter(f -> !f.name().equals(name)).toList());
        files.add(RuleFile.of(name, content));
        files.sort(java.util.Comparator.comparing(RuleFile::name));
        RuleSet candidate;
        try {
            candidate = compileAndGate(files);
        } catch (RuleCompilationException e) {
            return fail(triggeredBy, e.errors());
        }
        write(name, content);
        return activate(candidate, triggeredBy);
    }

    /** Names must stay inside the rules folder: no separators, no "..", no hidden files. */
    public static void requireSafeName(String name) {
        if (name == null || !FILE_NAME.matcher(name).matches() || name.contains("..") || !RuleFile.isPolicyFile(name)) {
            throw new InvalidInputException("name: a rule file name is letters, digits, '_', '-' and '.', ending in "
                    + ".drl, .drl.csv or .drl.xlsx, with no path (got '" + name + "')");
        }
    }

    public ReloadOutcome lastReload() {
        return lastReload;
    }

    public Activation current() {
        return current;
    }

    /** Activations newest first, older than {@code before} when it is given. */
    public List<ActivationHistory.Numbered> history(Long before, int limit) {
        return history.list(before, limit);
    }

    private ReloadOutcome tryActivate(List<RuleFile> files, String triggeredBy) {
        try {
            return activate(compileAndGate(files), triggeredBy);
        } catch (RuleCompilationException e) {
            return fail(triggeredBy, e.errors());
        }
    }

    private RuleSet compileAndGate(List<RuleFile> files) {
        RuleSet candidate = compiler.compile(files);
        List<RuleError> problems = gate.check(candidate);
        if (!problems.isEmpty()) {
            throw new RuleCompilationException(problems);
        }
        return candidate;
    }

    private ReloadOutcome activate(RuleSet candidate, String triggeredBy) {
        boolean changed = !candidate.version().equals(active.current().version());
        active.activate(candidate);
        if (changed) {
            current = Activation.of(candidate, clock.instant(), triggeredBy);
            history.record(current);
            LOG.info("rule set {} is active ({} files), triggered by {}", candidate.version(), candidate.files().size(), triggeredBy);
        }
        lastReload = new ReloadOutcome(true, clock.instant(), triggeredBy, List.of());
        reloadObserver.accept(true);
        return lastReload;
    }

    private ReloadOutcome fail(String triggeredBy, List<RuleError> errors) {
        boolean sameAsBefore = !lastReload.ok() && lastReload.errors().equals(errors);
        lastReload = new ReloadOutcome(false, clock.instant(), triggeredBy, errors);
        reloadObserver.accept(false);
        if (!sameAsBefore) { // logged once, not on every save of the same broken file
            LOG.warn("rule change by {} refused; rule set {} stays active: {}", triggeredBy, active.current().version(), errors);
        }
        return lastReload;
    }

    private void write(String name, byte[] content) {
        try {
            Path tmp = Files.createTempFile(folder, ".upload-", ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rule file " + name, e);
        }
    }
}
