package org.convrouter.http;

import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.convrouter.access.AuthFailureLimiter;
import org.convrouter.access.Principal;
import org.convrouter.access.Principal.Kind;
import org.convrouter.access.TokenService;
import org.convrouter.conversation.Actor;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.RouterException;
import org.convrouter.error.TooManyRequestsException;
import org.convrouter.error.UnauthorizedException;

/** Resolves the bearer token of every API request and checks what each kind of token may do. */
final class Access {

    private static final String PRINCIPAL = "principal";

    private final TokenService tokens;
    private final AuthFailureLimiter failures;

    Access(TokenService tokens, AuthFailureLimiter failures) {
        this.tokens = tokens;
        this.failures = failures;
    }

    /**
     * Before every /api request: a valid bearer token, or 401. The token is checked first, so a
     * valid one always passes; each failure draws on the client address's allowance, and past it
     * the answer is 429 with Retry-After. The address is the socket's: X-Forwarded-For is not trusted.
     */
    void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw failed(ctx, "Authorization: a Bearer token is required");
        }
        TokenService.Check check = tokens.check(header.substring(7).strip());
        if (!check.ok()) {
            throw failed(ctx, "Authorization: " + check.refusal());
        }
        ctx.attribute(PRINCIPAL, check.principal());
    }

    private RouterException failed(Context ctx, String message) {
        long retryAfter = failures.failure(ctx.req().getRemoteAddr());
        if (retryAfter > 0) {
            return new TooManyRequestsException("too many failed authentications from this address; retry in "
                    + retryAfter + " s", retryAfter);
        }
        return new UnauthorizedException(message);
    }

    static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    static Principal admin(Context ctx) {
        return require(ctx, EnumSet.of(Kind.ADMIN), "this call needs the admin token");
    }

    /**
     * The admin or a user. Integration tokens may only create conversations and contacts, analyst
     * tokens only work on the rules.
     */
    static Principal staff(Context ctx) {
        return require(ctx, EnumSet.of(Kind.ADMIN, Kind.USER), "this call needs the admin token or a user token");
    }

    /** The admin or an integration: the callers that send routing requests and create contacts. */
    static Principal adminOrIntegration(Context ctx) {
        return require(ctx, EnumSet.of(Kind.ADMIN, Kind.INTEGRATION), "this call needs the admin token or an integration token");
    }

    /** The admin or an analyst: reading, changing, validating and simulating the rules, and the rules history. */
    static Principal rules(Context ctx) {
        return require(ctx, EnumSet.of(Kind.ADMIN, Kind.ANALYST), "this call needs the admin token or an analyst token");
    }

    /** Who may read a routing decision: the admin, an analyst, or a user (whose inbox access is checked by the caller). */
    static Principal decisionReader(Context ctx) {
        return require(ctx, EnumSet.of(Kind.ADMIN, Kind.ANALYST, Kind.USER),
                "this call needs the admin token, an analyst token or a user token");
    }

    /** Every kind of token is allowed only what it is listed for; anything else is refused. */
    private static Principal require(Context ctx, Set<Kind> allowed, String message) {
        Principal p = principal(ctx);
        if (!allowed.contains(p.kind())) {
            throw new ForbiddenException(message + " (this is " + article(p.kind()) + " token)");
        }
        return p;
    }

    private static String article(Kind kind) {
        String name = kind.name().toLowerCase(Locale.ROOT);
        return (kind == Kind.ADMIN ? "the " : kind == Kind.USER ? "a " : "an ") + name;
    }

    /** The admin, or the user the path names. */
    static Principal adminOrSelf(Context ctx, String userId) {
        Principal p = staff(ctx);
        if (p.isUser() && !p.userId().equals(userId)) {
            throw new ForbiddenException("a user token may only do this for its own user");
        }
        return p;
    }

    /** Who acts in triage: a user token acts as its user; the admin may name one with byUserId. */
    static Actor actor(Context ctx, String byUserId) {
        Principal p = staff(ctx);
        if (p.isAdmin()) {
            return Actor.admin(byUserId);
        }
        if (byUserId != null && !byUserId.equals(p.userId())) {
            throw new ForbiddenException("byUserId: a user token acts only as its own user");
        }
        return Actor.user(p.userId());
    }
}
