package org.convrouter.http;

import io.javalin.http.Context;
import org.convrouter.access.Principal;
import org.convrouter.access.TokenService;
import org.convrouter.conversation.Actor;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.UnauthorizedException;

/** Resolves the bearer token of every API request and checks what each kind of token may do. */
final class Access {

    private static final String PRINCIPAL = "principal";

    private final TokenService tokens;

    Access(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Before every /api request: a known bearer token or 401. */
    void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("Authorization: a Bearer token is required");
        }
        Principal principal = tokens.authenticate(header.substring(7).strip())
                .orElseThrow(() -> new UnauthorizedException("Authorization: unknown or revoked token"));
        ctx.attribute(PRINCIPAL, principal);
    }

    static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    static Principal admin(Context ctx) {
        Principal p = principal(ctx);
        if (!p.isAdmin()) {
            throw new ForbiddenException("this call needs the admin token");
        }
        return p;
    }

    /** The admin or a user; integration tokens may only create conversations and contacts. */
    static Principal staff(Context ctx) {
        Principal p = principal(ctx);
        if (p.kind() == Principal.Kind.INTEGRATION) {
            throw new ForbiddenException("an integration token may only create conversations and contacts");
        }
        return p;
    }

    /** The admin or an integration: the callers that send routing requests and create contacts. */
    static Principal adminOrIntegration(Context ctx) {
        Principal p = principal(ctx);
        if (p.isUser()) {
            throw new ForbiddenException("this call needs the admin token or an integration token");
        }
        return p;
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
