package org.convrouter.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrouter.error.ConflictException;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.NotFoundException;
import org.convrouter.error.RefusedException;
import org.convrouter.error.RouterException;
import org.convrouter.error.StartingException;
import org.convrouter.error.StorageFailedException;
import org.convrouter.error.TooManyRequestsException;
import org.convrouter.error.UnauthorizedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place failures become HTTP answers: {@code {"error": {code, message, details}}}. */
final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    static void install(JavalinConfig config) {
        config.routes.exception(RouterException.class, (e, ctx) -> {
            if (e instanceof StartingException) { // passes in a moment
                ctx.header("Retry-After", "1");
            } else if (e instanceof TooManyRequestsException tooMany) {
                ctx.header("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
            }
            answer(ctx, status(e), e.code(), e.getMessage(), e.details());
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                answer(ctx, e.getStatus(), codeFor(e.getStatus()),
                        e.getStatus() == 413 ? defaultMessage(413, ctx) : e.getMessage(), List.of()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "internal", "internal error; nothing was changed unless the answer said so", List.of());
        });
        for (int status : new int[] {404, 405, 413}) {
            config.routes.error(status, ctx -> {
                if (!isErrorBody(ctx)) {
                    answer(ctx, status, codeFor(status), defaultMessage(status, ctx), List.of());
                }
            });
        }
    }

    static int status(RouterException e) {
        if (e instanceof InvalidInputException) return 400;
        if (e instanceof UnauthorizedException) return 401;
        if (e instanceof ForbiddenException) return 403;
        if (e instanceof NotFoundException) return 404;
        if (e instanceof ConflictException) return 409;
        if (e instanceof RefusedException) return 422;
        if (e instanceof TooManyRequestsException) return 429;
        if (e instanceof StorageFailedException || e instanceof StartingException) return 503;
        return 400;
    }

    private static void answer(Context ctx, int status, String code, String message, List<Object> details) {
        ctx.status(status).json(body(code, message, details));
    }

    /** The error body every answer uses, also for what Jetty refuses before Javalin runs ({@link JettyErrors}). */
    static Map<String, Object> body(String code, String message, List<Object> details) {
        Map<String, Object> error = new LinkedHashMap<>(); // code, message, details: in that order, always
        error.put("code", code);
        error.put("message", message == null ? "" : message);
        error.put("details", details);
        return Map.of("error", error);
    }

    private static boolean isErrorBody(Context ctx) {
        String result = ctx.result();
        return result != null && result.startsWith("{\"error\"");
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_input";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 422 -> "refused";
            case 429 -> "too_many_requests";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal" : "http_" + status;
        };
    }

    private static String defaultMessage(int status, Context ctx) {
        return switch (status) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
            case 405 -> "method not allowed: " + ctx.method() + " " + ctx.path();
            case 413 -> "body: larger than the limit of " + Limits.BODY_BYTES + " bytes";
            default -> "HTTP " + status;
        };
    }
}
