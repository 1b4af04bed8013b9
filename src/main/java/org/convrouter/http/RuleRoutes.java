package org.convrouter.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.convrouter.access.Principal;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.RefusedException;
import org.convrouter.rules.Activation;
import org.convrouter.rules.ActivationHistory;
import org.convrouter.rules.ReloadOutcome;
import org.convrouter.rules.RuleError;
import org.convrouter.rules.RuleLifecycle;

/** The rule set's state, reloads, uploads and version history (admin only). */
final class RuleRoutes {

    private final RuleLifecycle rules;

    RuleRoutes(RuleLifecycle rules) {
        this.rules = rules;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/rules", ctx -> {
            Access.admin(ctx);
            ctx.json(state());
        });
        routes.get("/api/v1/rules/history", ctx -> {
            Access.admin(ctx);
            int limit = Page.limit(ctx);
            List<ActivationHistory.Numbered> found = rules.history(historyCursor(ctx.queryParam("cursor")), limit + 1);
            ctx.json(Page.of(found, limit, ActivationHistory.Numbered::activation, n -> Long.toString(n.seq())));
        });
        routes.post("/api/v1/rules/reload", ctx -> answer(ctx, rules.reload(triggeredBy(ctx, "reload"))));
        routes.put("/api/v1/rules/files/{name}", this::putFile);
    }

    private void putFile(Context ctx) {
        Access.admin(ctx);
        String name = ctx.pathParam("name");
        RuleLifecycle.requireSafeName(name);
        if (ctx.bodyAsBytes().length == 0) {
            throw new org.convrouter.error.InvalidInputException("body: the rule file's text is required");
        }
        answer(ctx, rules.putFile(name, ctx.bodyAsBytes(), triggeredBy(ctx, "upload of " + name)));
    }

    /** The history's cursor is the place of the last activation on the page before. */
    private static Long historyCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            long seq = Long.parseLong(cursor);
            if (seq > 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidInputException("cursor: the nextCursor of a page of this history (a positive number)");
    }

    private static String triggeredBy(Context ctx, String what) {
        Principal p = Access.admin(ctx);
        return what + " by " + p.kind().name().toLowerCase();
    }

    private void answer(Context ctx, ReloadOutcome outcome) {
        if (!outcome.ok()) {
            throw new RefusedException("the rule set was refused; version " + rules.current().version()
                    + " stays active: " + outcome.errors().stream().map(RuleError::toString).findFirst().orElse(""),
                    outcome.errors());
        }
        ctx.json(state());
    }

    record FileView(String name, String sha256) {}

    record LastReload(String status, Instant at, String triggeredBy, List<RuleError> errors) {}

    record RulesState(String version, Instant activatedAt, List<FileView> files, LastReload lastReload) {}

    private RulesState state() {
        Activation current = rules.current();
        ReloadOutcome last = rules.lastReload();
        return new RulesState(current.version(), current.activatedAt(),
                current.files().stream().map(f -> new FileView(f.name(), f.sha256())).toList(),
                new LastReload(last.ok() ? "ok" : "failed", last.at(), last.triggeredBy(), last.errors()));
    }
}
