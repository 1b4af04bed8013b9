package org.convrouter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.function.Function;
import org.convrouter.error.InvalidInputException;

/**
 * A partial update's body: its fields read into {@code body}, and the JSON as sent, because only
 * that tells a field left out (keep it as it is) from one sent as null.
 */
record Patch<T>(JsonNode sent, T body) {

    static <T> Patch<T> read(Context ctx, Class<T> type) {
        JsonNode sent = Bodies.tree(ctx);
        return new Patch<>(sent, Bodies.convert(sent, type));
    }

    boolean has(String field) {
        return sent.has(field);
    }

    /** A body may repeat the id of what it changes, not give it another one. */
    Patch<T> sameId(String id, Function<T, String> idOf) {
        String sentId = idOf.apply(body);
        if (sentId != null && !sentId.equals(id)) {
            throw new InvalidInputException("id: cannot be changed");
        }
        return this;
    }

    /** Left out keeps a field; null would silently do the same, so it is refused. */
    Patch<T> noNulls(String... fields) {
        for (String field : fields) {
            if (sent.has(field) && sent.get(field).isNull()) {
                throw new InvalidInputException(field + ": must not be null (leave it out to keep it as it is)");
            }
        }
        return this;
    }

    /**
     * A field that creating the entity required: left out it stays, but sent it must say
     * something, since null or blank would erase it.
     */
    String requiredText(String field, String value, int max) {
        if (sent.has(field) && (value == null || value.isBlank())) {
            throw new InvalidInputException(field + ": must not be blank");
        }
        return Bodies.text(field, value, max);
    }
}
