package org.convrouter.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.convrouter.error.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the active rule set safely, in step with every other instance. Every change (a reload of
 * the folder, an uploaded file) is compiled off the request path of routing and must pass the gate;
 * only then is it published to the database ({@link RuleSetStore}), by a compare and set on the
 * active pointer, and activated here. Other instances hear of it through the rules change counter
 * and {@link #follow} it. On failure the rule set in force stays active and the errors are kept for
 * {@code GET /api/v1/rules}. Changes are serialised; routing never waits for them.
 *
 * <p>The folder stays the analysts' editing surface, but it is published only while it is in step:
 * when the active pointer has not moved since the folder last matched or published the active
 * version. So a folder that missed a newer version (published through another instance) never
 * undoes it; it is reported refused until it holds the active version's files again.
 */
public final class RuleLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RuleLifecycle.class);
    /** Safe file names: no separators, no leading dot, a policy extension. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
    /** How often an upload is laid over the active version again when another change went live while it was checked. */
    private static final int UPLOAD_ATTEMPTS = 3;

    private final Path folder;
    private final String folderId;
    private final RuleSetCompiler compiler;
    private final ActiveRules active;
    private final RuleSetGate gate;
    private final RuleSetStore store;
    private final Clock clock;
    private final Consumer<Boolean> reloadObserver;
    private volatile ReloadOutcome lastReload;
    private volatile Activation current;
    /** Whether lastReload tells of a version published elsewhere that failed here (a later one that passes clears it). */
    private boolean lastReloadFollowed;
    /** Whether the folder on disk was last refused (it fails the gate or is out of step) and does not hold the active version since. */
    private volatile boolean folderRefused;
    /** Whether a version another instance published does not pass here, so this one runs an older version. */
    private volatile boolean followRefused;

    public RuleLifecycle(Path folder, RuleSetCompiler compiler, ActiveRules active, RuleSetGate gate,
                         RuleSetStore store, Clock clock, Consumer<Boolean> reloadObserver) {
        this.folder = folder;
        this.folderId = folderId(folder);
        this.compiler = compiler;
        this.active = active;
        this.gate = gate;
        this.store = store;
        this.clock = clock;
        this.reloadObserver = reloadObserver;
    }

    /**
     * Starts on the database's active rule set. The folder ({@code compiledFolder} gives it compiled
     * and gated, or throws {@link RuleCompilationException}) is published first when it is new,
     * passes, and the active version has not moved since the folder was last in step; a folder the
     * database has seen runs the active version; any other folder is reported refused. With nothing
     * published yet, the folder must pass: its errors stop start-up.
     */
    public synchronized void start(Supplier<RuleSet> compiledFolder, String startedBy) {
        removeStrayUploads();
        Optional<ActivationHistory.Numbered> stored = store.active();
        RuleSet folderRules;
        try {
            folderRules = unwrapped(compiledFolder);
        } catch (RuleCompilationException e) {
            if (stored.isEmpty()) {
                throw e;
            }
            folderRefused = true;
            runStored(stored.get(), refused(startedBy, e.errors()));
            return;
        }
        String version = folderRules.version();
        if (stored.isPresent() && stored.get().activation().version().equals(version)) {
            store.markInStep(folderId, new RuleSetStore.InStep(version, stored.get().seq()));
            begin(folderRules, stored.get().activation(), new ReloadOutcome(true, clock.instant(), startedBy, List.of()));
            return;
        }
        if (stored.isPresent() && store.seen(version)) {
            Activation newer = stored.get().activation();
            folderRefused = true;
            runStored(stored.get(), refused(startedBy, List.of(new RuleError("", 0, 0, "the rules folder holds version " + version
                    + ", which version " + newer.version() + " (" + newer.triggeredBy() + ", " + newer.activatedAt()
                    + ") has replaced: an older folder is not published again; " + newer.version() + " runs"))));
            return;
        }
        long expected = stored.isEmpty() ? store.activeSeq() : inStepSeq();
        RuleSetStore.Publication published = store.publish(Activation.of(folderRules, clock.instant(), startedBy), folderRules.files(), expected);
        if (published.result() == RuleSetStore.Result.MOVED) {
            folderRefused = true;
            runStored(published.active(), refused(startedBy, List.of(outOfStep(published.active()))));
            return;
        }
        store.markInStep(folderId, new RuleSetStore.InStep(version, published.active().seq()));
        begin(folderRules, published.active().activation(), new ReloadOutcome(true, clock.instant(), startedBy, List.of()));
    }

    /** Compiles the rules folder as it is now; publishes and activates it when it passes the gate and is in step. */
    public synchronized ReloadOutcome reload(String triggeredBy) {
        List<RuleFile> files;
        try {
            files = RuleSetCompiler.read(folder);
        } catch (UncheckedIOException e) {
            return refuseFolder(triggeredBy, List.of(new RuleError("", 0, 0, e.getMessage())));
        }
        RuleSet candidate;
        try {
            candidate = compileAndGate(files);
        } catch (RuleCompilationException e) {
            return refuseFolder(triggeredBy, e.errors());
        }
        // A version published before may go live again here (the analysts undid a change in the folder).
        RuleSetStore.Publication published = store.publish(Activation.of(candidate, clock.instant(), triggeredBy), candidate.files(), inStepSeq());
        if (published.result() == RuleSetStore.Result.MOVED) {
            return refuseFolder(triggeredBy, List.of(outOfStep(published.active())));
        }
        store.markInStep(folderId, new RuleSetStore.InStep(candidate.version(), published.active().seq()));
        folderRefused = false;
        return activate(candidate, published.active(), triggeredBy);
    }

    /**
     * Lays the file over the active version's files (the version every instance runs, whatever this
     * instance's folder holds), and publishes and activates the result if it passes the gate; then
     * writes the file into the folder. A refused upload writes nothing.
     */
    public synchronized ReloadOutcome putFile(String name, byte[] content, String triggeredBy) {
        requireSafeName(name);
        for (int attempt = 1; ; attempt++) {
            ActivationHistory.Numbered base = store.active().orElseThrow(() -> new IllegalStateException("no rule set is published yet"));
            List<RuleFile> files = laidOver(store.files(base.activation().version()), List.of(RuleFile.of(name, content)));
            RuleSet candidate;
            try {
                candidate = compileAndGate(files);
            } catch (RuleCompilationException e) {
                return fail(triggeredBy, e.errors());
            }
            boolean folderInStep = inStepSeq() == base.seq();
            RuleSetStore.Publication published = store.publish(Activation.of(candidate, clock.instant(), triggeredBy), candidate.files(), base.seq());
            if (published.result() == RuleSetStore.Result.MOVED) {
                if (attempt < UPLOAD_ATTEMPTS) {
                    continue; // another change went live while this one was checked: lay it over that one
                }
                return fail(triggeredBy, List.of(new RuleError(name, 0, 0, "other rule changes kept going live while this upload"
                        + " was checked; version " + published.active().activation().version() + " stays active: send it again")));
            }
            write(name, content);
            if (folderInStep) { // its other files are the version the upload was laid over, so it holds the new one
                store.markInStep(folderId, new RuleSetStore.InStep(candidate.version(), published.active().seq()));
            }
            if (folderVersion().filter(candidate.version()::equals).isPresent()) {
                folderRefused = false; // the upload replaced what was refused in it
            }
            return activate(candidate, published.active(), triggeredBy);
        }
    }

    /**
     * Activates the database's active version when another instance has published it; runs on the
     * change poller's thread when the rules counter moves. A database that cannot be read throws,
     * so the poller tries again; a version that does not compile or pass the gate here is refused
     * like a failed reload, and the rule set in force stays active.
     */
    public synchronized void follow() {
        if (current == null) {
            return; // not started yet: start reads the active pointer itself
        }
        Optional<ActivationHistory.Numbered> stored = store.active();
        if (stored.isEmpty() || stored.get().activation().version().equals(active.current().version())) {
            return; // this instance's own change, or one it follows already
        }
        Activation next = stored.get().activation();
        String triggeredBy = "version " + next.version() + " went live on another instance (" + next.triggeredBy() + ")";
        RuleSet ruleSet;
        try {
            ruleSet = compileAndGate(store.files(next.version()));
        } catch (RuleCompilationException e) {
            fail(triggeredBy, e.errors());
            lastReloadFollowed = true;
            followRefused = true;
            return;
        }
        // The folder is not rewritten: it is the analysts' editing surface, and what they have there
        // stays theirs. It is published again only once it is back in step (it holds this version).
        active.activate(ruleSet);
        current = next;
        followRefused = false;
        boolean folderHoldsIt = folderVersion().filter(next.version()::equals).isPresent();
        if (folderHoldsIt) {
            store.markInStep(folderId, new RuleSetStore.InStep(next.version(), stored.get().seq()));
            folderRefused = false;
        }
        if (folderHoldsIt || lastReloadFollowed) {
            lastReload = new ReloadOutcome(true, clock.instant(), triggeredBy, List.of());
            lastReloadFollowed = false;
        }
        reloadObserver.accept(true);
        LOG.info("rule set {} is active ({} files): {}", next.version(), ruleSet.files().size(), triggeredBy);
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

    /**
     * Whether the rules on disk are refused here: the folder fails the gate or is out of step, or a
     * version another instance published does not pass on this one. The last good rule set is in
     * force meanwhile; {@link #lastReload} says why.
     */
    public boolean refused() {
        return folderRefused || followRefused;
    }

    /**
     * The active version's files with {@code changed} laid over them (a file of the same name
     * replaced, a new one added): what an upload of those files would make. Nothing goes live.
     */
    public List<RuleFile> laidOverActive(List<RuleFile> changed) {
        changed.forEach(f -> requireSafeName(f.name()));
        Activation base = store.active().map(ActivationHistory.Numbered::activation).orElse(current);
        return laidOver(store.files(base.version()), changed);
    }

    private static List<RuleFile> laidOver(List<RuleFile> base, List<RuleFile> changed) {
        List<String> names = changed.stream().map(RuleFile::name).toList();
        List<RuleFile> files = new ArrayList<>(base.stream().filter(f -> !names.contains(f.name())).toList());
        files.addAll(changed);
        files.sort(Comparator.comparing(RuleFile::name));
        return files;
    }

    public Activation current() {
        return current;
    }

    /** Activations newest first, older than {@code before} when it is given. */
    public List<ActivationHistory.Numbered> history(Long before, int limit) {
        return store.list(before, limit);
    }

    /** Where the pointer was when this folder was last in step; -1 when it never was (nothing to compare and set against). */
    private long inStepSeq() {
        return store.inStep(folderId).map(RuleSetStore.InStep::seq).orElse(-1L);
    }

    private RuleError outOfStep(ActivationHistory.Numbered newer) {
        Activation a = newer.activation();
        String since = store.inStep(folderId).map(s -> "since the folder last held version " + s.version())
                .orElse("and the folder has never held it");
        return new RuleError("", 0, 0, "the rules folder is out of step: version " + a.version() + " went live (" + a.triggeredBy()
                + ", " + a.activatedAt() + ") " + since + "; the folder was not published, so it cannot undo that change."
                + " Give the folder version " + a.version() + "'s files, then change it again");
    }

    /** The version the folder holds now, if it can be read. */
    private Optional<String> folderVersion() {
        try {
            List<RuleFile> files = RuleSetCompiler.read(folder);
            return files.isEmpty() ? Optional.empty() : Optional.of(RuleSetCompiler.versionOf(files));
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * Compiles the stored active version and runs it; start-up stops only if it does not compile
     * here. It went live once, so it runs even if its scenarios fail now (one may read the time of
     * day): stopping the service would harm more. The failures are shown as a refused reload's.
     */
    private void runStored(ActivationHistory.Numbered stored, ReloadOutcome outcome) {
        String version = stored.activation().version();
        RuleSet ruleSet;
        try {
            ruleSet = compiler.compile(store.files(version));
        } catch (RuleCompilationException e) {
            List<RuleError> errors = new ArrayList<>(outcome.errors());
            errors.add(new RuleError("", 0, 0, "the database's active rule set " + version + " does not compile on this instance either"));
            errors.addAll(e.errors());
            throw new RuleCompilationException(errors);
        }
        List<RuleError> problems = gate.check(ruleSet);
        if (!problems.isEmpty()) {
            List<RuleError> errors = new ArrayList<>(outcome.errors());
            errors.add(new RuleError("", 0, 0, "the database's active rule set " + version
                    + " runs, as the last one that went live, though its scenarios fail on this instance now"));
            errors.addAll(problems);
            outcome = refused(outcome.triggeredBy(), errors);
        }
        begin(ruleSet, stored.activation(), outcome);
    }

    private void begin(RuleSet ruleSet, Activation activation, ReloadOutcome outcome) {
        current = activation;
        lastReload = outcome;
        active.activate(ruleSet);
        reloadObserver.accept(outcome.ok());
        if (outcome.ok()) {
            LOG.info("rule set {} is active ({} files)", ruleSet.version(), ruleSet.files().size());
        } else {
            LOG.warn("the rules folder was refused at start-up; rule set {} from the database is active: {}", ruleSet.version(), outcome.errors());
        }
    }

    private ReloadOutcome refused(String triggeredBy, List<RuleError> errors) {
        return new ReloadOutcome(false, clock.instant(), triggeredBy, errors);
    }

    /** The folder's rule set, as given by a future's join: its own exception, not the future's wrapper. */
    private static RuleSet unwrapped(Supplier<RuleSet> compiledFolder) {
        try {
            return compiledFolder.get();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Names this instance's folder in the database: host and absolute path, the same on every restart. */
    static String folderId(Path folder) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + ":" + folder.toAbsolutePath().normalize();
    }

    private RuleSet compileAndGate(List<RuleFile> files) {
        RuleSet candidate = compiler.compile(files);
        List<RuleError> problems = gate.check(candidate);
        if (!problems.isEmpty()) {
            throw new RuleCompilationException(problems);
        }
        return candidate;
    }

    private ReloadOutcome activate(RuleSet candidate, ActivationHistory.Numbered published, String triggeredBy) {
        followRefused = false; // this instance runs the active version again
        if (!candidate.version().equals(active.current().version())) {
            active.activate(candidate);
            LOG.info("rule set {} is active ({} files), triggered by {}", candidate.version(), candidate.files().size(), triggeredBy);
        }
        current = published.activation();
        lastReload = new ReloadOutcome(true, clock.instant(), triggeredBy, List.of());
        lastReloadFollowed = false;
        reloadObserver.accept(true);
        return lastReload;
    }

    private ReloadOutcome refuseFolder(String triggeredBy, List<RuleError> errors) {
        folderRefused = true;
        return fail(triggeredBy, errors);
    }

    private ReloadOutcome fail(String triggeredBy, List<RuleError> errors) {
        boolean sameAsBefore = !lastReload.ok() && lastReload.errors().equals(errors);
        lastReload = new ReloadOutcome(false, clock.instant(), triggeredBy, errors);
        lastReloadFollowed = false;
        reloadObserver.accept(false);
        if (!sameAsBefore) { // logged once, not on every save of the same broken file
            LOG.warn("rule change by {} refused; rule set {} stays active: {}", triggeredBy, active.current().version(), errors);
        }
        return lastReload;
    }

    /**
     * Writes an uploaded file so that it survives a crash once the upload is answered: the content
     * is forced to disk before the atomic rename, and the folder after it, so the new name is
     * durable too. A failed write leaves no temp file behind.
     */
    private void write(String name, byte[] content) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(folder, ".upload-", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(tmp, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            forceFolder();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rule file " + name, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failed already; a stray temp file is removed at the next start
                }
            }
        }
    }

    /** A folder's entries are durable once the folder itself is forced (POSIX); where it cannot be opened, the rename stands. */
    private void forceFolder() throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (UnsupportedOperationException | AccessDeniedException e) {
            LOG.debug("cannot force the rules folder {} to disk on this platform", folder);
        }
    }

    /** Temp files of uploads cut short by a crash: the watcher ignores them, and they are removed at start. */
    private void removeStrayUploads() {
        try (var strays = Files.newDirectoryStream(folder, ".upload-*.tmp")) {
            for (Path stray : strays) {
                Files.deleteIfExists(stray);
                LOG.info("removed {}, an upload cut short before it was complete", stray.getFileName());
            }
        } catch (IOException e) {
            LOG.warn("cannot remove stray upload files from {}", folder, e);
        }
    }
}
