package org.convrouter.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;
import org.convrouter.error.InvalidInputException;

/** Every list answers {@code {items, nextCursor}}. */
record Page<T>(List<T> items, String nextCursor) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    static int limit(Context ctx) {
        return limit(ctx, MAX_LIMIT);
    }

    /** The page size asked for, from 1 to {@code max}; {@link #DEFAULT_LIMIT} (or {@code max}, if smaller) when not given. */
    static int limit(Context ctx, int max) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return Math.min(DEFAULT_LIMIT, max);
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit < 1 || limit > max) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("limit: a whole number from 1 to " + max);
        }
    }

    /**
     * The page of {@code found}, which holds up to {@code limit} + 1 items: an extra one only says
     * that there is a next page, whose cursor is the last item shown.
     */
    static <T, V> Page<V> of(List<T> found, int limit, Function<T, V> view, Function<T, String> cursor) {
        List<T> shown = found.subList(0, Math.min(limit, found.size()));
        return new Page<>(shown.stream().map(view).toList(), found.size() > limit ? cursor.apply(shown.get(limit - 1)) : null);
    }

    /** A page of an id-ordered in-memory list, with the last id as the cursor. */
    static <T> Page<T> byId(List<T> sortedById, Function<T, String> id, Context ctx) {
        String after = Bodies.query(ctx, "cursor");
        List<T> rest = after == null ? sortedById : sortedById.stream().filter(t -> id.apply(t).compareTo(after) > 0).toList();
        return of(rest, limit(ctx), Function.identity(), id);
    }
}
