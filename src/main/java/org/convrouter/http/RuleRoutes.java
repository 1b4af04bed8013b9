package org.convrouter.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.convrouter.access.Principal;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.RefusedException;
import org.convrouter.rules.Activation;
import org.convrouter.rules.ActivationHistory;
import org.convrouter.rules.ReloadOutcome;
import org.convrouter.rules.RuleError;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleLifecycle;
import org.convrouter.scenario.Validation;

/** The rule set's state, reloads, uploads, validation and version history (the admin and analysts). */
final class RuleRoutes {

    private final RuleLifecycle rules;
    private final Function<List<RuleFile>, Validation> validator;

    /** {@code validator} compiles files and runs this instance's scenarios against them, as the gate does. */
    RuleRoutes(RuleLifecycle rules, Function<List<RuleFile>, Validation> validator) {
        this.rules = rules;
        this.validator = validator;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/rules", ctx -> {
            Access.rules(ctx);
            ctx.json(state());
        });
        routes.get("/api/v1/rules/history", ctx -> {
            Access.rules(ctx);
            int limit = Page.limit(ctx);
            List<ActivationHistory.Numbered> found = rules.history(historyCursor(Bodies.query(ctx, "cursor")), limit + 1);
            ctx.json(Page.of(found, limit, ActivationHistory.Numbered::activation, n -> Long.toString(n.seq())));
        });
        routes.post("/api/v1/rules/reload", ctx -> answer(ctx, rules.reload(triggeredBy(ctx, "reload"))));
        routes.put("/api/v1/rules/files/{name}", this::putFile);
        routes.post("/api/v1/rules/validate", this::validate);
    }

    record ValidateBody(Map<String, String> files) {}

    /** The files laid over the active version's, compiled and run against the scenarios; nothing goes live. */
    private void validate(Context ctx) {
        Access.rules(ctx);
        ValidateBody body = Bodies.read(ctx, ValidateBody.class);
        Map<String, String> files = Bodies.required("files", body.files());
        if (files.size() > Limits.RULE_FILES) {
            throw new InvalidInputException("files: at most " + Limits.RULE_FILES + " files");
        }
        List<RuleFile> changed = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            RuleLifecycle.requireSafeName(file.getKey());
            if (file.getValue() == null || file.getValue().isBlank()) {
                throw new InvalidInputException("files." + file.getKey() + ": the rule file's text is required");
            }
            changed.add(RuleFile.of(file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        ctx.json(validator.apply(rules.laidOverActive(changed)).report());
    }

    private void putFile(Context ctx) {
        Access.rules(ctx);
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

    /** What the rules history records: the change and who made it ("upload of x.drl by analyst 'Pricing team' (id ...)"). */
    private static String triggeredBy(Context ctx, String what) {
        Principal p = Access.rules(ctx);
        return what + " by " + p.describe();
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
