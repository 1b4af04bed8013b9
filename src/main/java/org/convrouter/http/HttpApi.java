package org.convrouter.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.JavalinStaticResourceHandler;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.convrouter.access.AuthFailureLimiter;
import org.convrouter.access.TokenService;
import org.convrouter.conversation.ConversationService;
import org.convrouter.directory.AccountService;
import org.convrouter.directory.DirectoryService;
import org.convrouter.error.StartingException;
import org.convrouter.ops.Metrics;
import org.convrouter.outbox.Notifications;
import org.convrouter.outbox.Webhooks;
import org.convrouter.routing.AgentLoads;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleLifecycle;
import org.convrouter.scenario.Validation;
import org.convrouter.support.Json;

/**
 * The HTTP layer: parses, checks access, delegates, sets the status. No business logic lives
 * here. Every /api request needs a bearer token; failures are answered by {@link ErrorMapper}.
 * The web console's static files (classpath {@code /public}) are served at {@code /}.
 */
public final class HttpApi {

    /**
     * Sent with every answer. The console loads only its own files: no inline script or style, no
     * framing, no plugins, and fetch only to this origin; data is rendered as text, never markup.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final Javalin app;

    public HttpApi(Access access, DirectoryRoutes directory, ConversationRoutes conversations, RuleRoutes rules,
                   OpsRoutes ops, OutboxRoutes outbox, Metrics metrics, BooleanSupplier ready) {
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.maxRequestSize = Limits.BODY_BYTES;
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            // Javalin copies each answer through a buffer of this size, allocated per response; its
            // default (Jetty's 32 KB output buffer) would be most of what a small JSON answer allocates.
            config.http.responseBufferSize = 4096;
            config.requestLogger.http((ctx, ms) -> metrics.httpRequest(ctx.method().name(), routeOf(ctx),
                    ctx.statusCode(), (long) (ms * 1_000_000)));
            // Javalin's own classpath handler looks each file up through the class loader; Jetty's
            // (the default) mounts the whole 33,000-entry jar as a file system first, which slows every start.
            config.resourceHandler(new JavalinStaticResourceHandler());
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache"); // revalidate: a new jar's console shows at once
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JettyErrors()));
            config.routes.before(HttpApi::securityHeaders);
            // The server listens while the first rule set is compiled and checked; until it is in
            // force every request but liveness is told so (503, with when to retry: ErrorMapper).
            config.routes.before(ctx -> {
                if (!ready.getAsBoolean() && !ctx.path().equals("/health/live")) {
                    throw new StartingException();
                }
            });
            config.routes.before("/api/*", access::authenticate);
            ErrorMapper.install(config);
            // Javalin tries a request's path against each route of its method in this order, by
            // regular expression: the routes every incoming message takes go first.
            conversations.register(config.routes);
            directory.register(config.routes);
            rules.register(config.routes);
            ops.register(config.routes);
            outbox.register(config.routes);
        });
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** The matched route template for metrics; "unmatched" when only filters (like the /api auth check) ran. */
    private static String routeOf(io.javalin.http.Context ctx) {
        // endpoint() throws (it does not return null) when nothing matched, e.g. GET /nothing
        return ctx.endpoints().list().stream().filter(e -> HANDLERS.contains(e.method)).map(e -> e.path)
                .reduce((first, last) -> last).orElse("unmatched");
    }

    private static final java.util.List<io.javalin.http.HandlerType> HANDLERS = io.javalin.http.HandlerType.commonHttp();

    /** Wires the routes from the services; the composition root calls this. */
    public static HttpApi create(TokenService tokens, AuthFailureLimiter authFailures, DirectoryService directory,
                                 AccountService account, ConversationService conversations, AgentLoads loads,
                                 RuleLifecycle ruleLifecycle, ActiveRules activeRules,
                                 Function<List<RuleFile>, Validation> validator, Notifications notifications,
                                 Webhooks webhooks, BooleanSupplier databaseHealthy, BooleanSupplier rulesWatched,
                                 Metrics metrics, Supplier<String> ids) {
        OpsRoutes.Checks health = new OpsRoutes.Checks(databaseHealthy, ruleLifecycle::refused, rulesWatched,
                notifications::health);
        return new HttpApi(new Access(tokens, authFailures), new DirectoryRoutes(directory, account, loads, tokens, ids),
                new ConversationRoutes(conversations, directory), new RuleRoutes(ruleLifecycle, validator),
                new OpsRoutes(activeRules, health, metrics), new OutboxRoutes(notifications, webhooks), metrics,
                activeRules::hasRuleSet);
    }

    public HttpApi start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
