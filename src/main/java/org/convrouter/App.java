package org.convrouter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.convrouter.access.AuthFailureLimiter;
import org.convrouter.access.TokenService;
import org.convrouter.conversation.ConversationService;
import org.convrouter.conversation.ManualAssignmentPolicy;
import org.convrouter.conversation.WaitingQueue;
import org.convrouter.directory.AccountService;
import org.convrouter.directory.DirectoryService;
import org.convrouter.directory.User;
import org.convrouter.http.HttpApi;
import org.convrouter.ops.Metrics;
import org.convrouter.outbox.MailCourier;
import org.convrouter.outbox.Notifications;
import org.convrouter.outbox.Outbox;
import org.convrouter.outbox.OutboxConfig;
import org.convrouter.outbox.WebhookCourier;
import org.convrouter.outbox.Webhooks;
import org.convrouter.routing.Decision;
import org.convrouter.routing.RoutingEngine;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleCompilationException;
import org.convrouter.rules.RuleLifecycle;
import org.convrouter.rules.RulesWatcher;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.convrouter.rules.RuleSetGate;
import org.convrouter.scenario.ScenarioRunner;
import org.convrouter.scenario.Validation;
import org.convrouter.store.Changes;
import org.convrouter.store.Database;
import org.convrouter.support.TimeOrderedIds;
import org.convrouter.store.JdbiAccountStore;
import org.convrouter.store.JdbiContactStore;
import org.convrouter.store.JdbiConversationStore;
import org.convrouter.store.JdbiDirectoryStore;
import org.convrouter.store.JdbiRuleSetStore;
import org.convrouter.store.JdbiTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one composition root: config -> store -> rules -> routing -> http. Every object is built
 * here and handed its collaborators through its constructor; nothing else creates services.
 */
public final class App implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final Database database;
    private final HttpApi http;
    private final RuleLifecycle rules;
    private final RulesWatcher watcher;
    private final Changes changes;
    private final List<Outbox> outboxes;
    private final WaitingQueue queue;

    private App(Database database, HttpApi http, RuleLifecycle rules, RulesWatcher watcher, Changes changes,
                List<Outbox> outboxes, WaitingQueue queue) {
        this.queue = queue;
        this.database = database;
        this.outboxes = outboxes;
        this.http = http;
        this.rules = rules;
        this.watcher = watcher;
        this.changes = changes;
    }

    /** Starts the service; {@code out} receives what an operator must see once (the generated admin token). */
    public static App start(Config config, Consumer<String> out) {
        // Timestamps are kept to the microsecond, the precision both databases store.
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
        Supplier<String> ids = new TimeOrderedIds(Clock.systemUTC());
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + config.dataDir(), e);
        }
        RuleSetCompiler compiler = new RuleSetCompiler();
        // Compiling and checking the first rule set is the slowest part of start-up: it runs on a
        // thread of its own while the database opens and the service is built and starts listening.
        CompletableFuture<RuleSet> compiled = CompletableFuture.supplyAsync(() -> compiler.compile(config.rulesDir()));
        Database database = config.dbUrl() == null ? Database.embedded(config.dataDir()) : Database.open(config.dbUrl());
        // Scenarios without a time of their own run at noon in the account's zone (R12), so the gate needs the account.
        AccountService account = new AccountService(new JdbiAccountStore(database.jdbi()));
        ScenarioRunner gate = new ScenarioRunner(config.rulesDir().resolve("scenarios"), account::timeZone);
        CompletableFuture<RuleSet> firstRuleSet = compiled.thenApplyAsync(ruleSet -> gated(ruleSet, gate));
        Metrics metrics = new Metrics();
        ActiveRules activeRules = new ActiveRules(); // none in force until the first rule set passes
        RuleLifecycle rules = new RuleLifecycle(config.rulesDir(), compiler, activeRules, gate,
                new JdbiRuleSetStore(database.jdbi()), clock, metrics::reload);
        Changes changes = new Changes(database.jdbi(), Duration.ofMillis(200));
        changes.onChange(Changes.RULES, rules::follow); // a rule set another instance published

        DirectoryService directory = new DirectoryService(new JdbiDirectoryStore(database.jdbi()),
                new JdbiContactStore(database.jdbi()));
        Webhooks webhooks = new Webhooks(database.jdbi(), clock, ids);
        JdbiConversationStore conversationStore = new JdbiConversationStore(database, webhooks::anySubscribedTo);
        RoutingEngine engine = new RoutingEngine(activeRules, new Random(), clock, account::timeZone, ids);
        metrics.rulesStopped(engine::rulesStopped);
        Consumer<Decision> observer = decision -> {
            metrics.decision(decision);
            LOG.debug("routing decision {}: rules {} strategy {} assignee {} eligible {}/{} in {} us", decision.id(),
                    decision.ruleSetVersion(), decision.strategy(), decision.assignee(), decision.eligibleCount(),
                    decision.candidates().size(), decision.tookMicros());
        };
        // R10: one thread drains the waiting queues; it starts once the first rule set is in force.
        WaitingQueue queue = new WaitingQueue(directory, conversationStore, config.queueSweep());
        ConversationService conversations = new ConversationService(directory, conversationStore, engine,
                new ManualAssignmentPolicy(activeRules), clock, ids, observer, queue::userFreed);
        metrics.queue(conversationStore::queueStats, clock);

        // The one secret ever printed: a generated admin token, once. A user token stops working the
        // moment its user is deactivated, checked against the in-memory directory on every request.
        // Users are never deleted: one this instance has not heard of yet was made moments ago elsewhere.
        TokenService tokens = TokenService.start(new JdbiTokenStore(database.jdbi()), config.adminToken(), config.dataDir(),
                token -> out.accept("Generated admin token (shown once; only its hash is kept, in the database):\n  " + token),
                clock, userId -> directory.get().user(userId).map(User::active).orElse(true));

        changes.onChange(Changes.DIRECTORY, directory::reload);
        changes.onChange(Changes.DIRECTORY, account::reload); // the account's changes bump the directory's counter
        changes.onChange(Changes.TOKENS, tokens::refresh);
        changes.onChange(Changes.WEBHOOKS, webhooks::reload);
        directory.onDeactivated(tokens::forgetUser); // revoked with the deactivation: refused here at once
        // Any directory change (availability, capacity, teams, settings) or rule set may free capacity:
        // after the reloads above, every waiting channel is drained, on every instance.
        changes.onChange(Changes.DIRECTORY, queue::drainAll);
        changes.onChange(Changes.RULES, queue::drainAll);

        // The outboxes: R7 mail (only with a mail server; without one it waits) and webhooks.
        OutboxConfig outbox = config.outbox();
        Outbox mail = outbox.smtp() == null ? null : new Outbox(database.jdbi(), "notifications",
                new MailCourier(database.jdbi(), outbox.smtp(), outbox.mailFrom(), outbox.publicUrl()), outbox.retry(), clock);
        Outbox hooks = new Outbox(database.jdbi(), "webhook_deliveries", new WebhookCourier(database.jdbi()), outbox.retry(), clock);
        List<Outbox> outboxes = mail == null ? List.of(hooks) : List.of(mail, hooks);
        Notifications notifications = new Notifications(database.jdbi(), mail);

        RulesWatcher watcher = new RulesWatcher(config.rulesDir(), Duration.ofMillis(100),
                () -> rules.reload("file change in " + config.rulesDir()));
        HttpApi http = HttpApi.create(tokens, new AuthFailureLimiter(config.authFailureLimit()), directory, account,
                conversations, conversationStore.loads(), rules, activeRules, files -> Validation.of(files, compiler, gate),
                notifications, webhooks, database::healthy, watcher::healthy, metrics, ids);
        try {
            // Listening early answers 503 "starting" until the first rule set is in force.
            http.start(config.host(), config.port());
            changes.start(); // before the rules start, so no version published meanwhile goes unheard
            directory.reload(); // and what other instances changed while this one was being built
            account.reload();
            tokens.refresh();
            webhooks.reload();
            rules.start(firstRuleSet::join, "start-up");
            outboxes.forEach(Outbox::start);
            queue.start(conversations::reroute);
            queue.drainAll(); // what waited while no instance ran
        } catch (RuntimeException e) {
            queue.close();
            outboxes.forEach(Outbox::close);
            changes.close();
            http.stop();
            database.close();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        watcher.start();
        return new App(database, http, rules, watcher, changes, outboxes, queue);
    }

    /** The service starts only on a rule set that passes the same gate as every later change. */
    private static RuleSet gated(RuleSet ruleSet, RuleSetGate gate) {
        var problems = gate.check(ruleSet);
        if (!problems.isEmpty()) {
            throw new RuleCompilationException(problems);
        }
        return ruleSet;
    }

    public int port() {
        return http.port();
    }

    public RuleLifecycle rules() {
        return rules;
    }

    @Override
    public void close() {
        watcher.close();
        outboxes.forEach(Outbox::close);
        changes.close();
        http.stop();
        queue.close(); // after the last request, before the database closes
        database.close();
    }
}
