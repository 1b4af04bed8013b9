package org.convrouter.http;

import io.javalin.http.Context;
import java.util.List;
import org.convrouter.error.InvalidInputException;

/** Every list answers {@code {items, nextCursor}}. */
record Page<T>(List<T> items, String nextCursor) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("limit: a whole number from 1 to " + MAX_LIMIT);
        }
    }

    /** A page of an id-ordered in-memory list, with the last id as the cursor. */
    static <T> Page<T> byId(List<T> sortedById, java.util.function.Function<T, String> id, Context ctx) {
        int limit = limit(ctx);
        String after = ctx.queryParam("cursor");
        List<T> rest = after == null ? sortedById : sortedById.stream().filter(t -> id.apply(t).compareTo(after) > 0).toList();
        List<T> items = rest.stream().limit(limit).toList();
        String next = rest.size() > limit ? id.apply(items.get(items.size() - 1)) : null;
        return new Page<>(items, next);
    }
}
