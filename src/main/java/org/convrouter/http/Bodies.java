package org.convrouter.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.convrouter.directory.Contact;
import org.convrouter.error.InvalidInputException;
import org.convrouter.support.Json;

/** Reads request bodies strictly and checks their fields; every problem is a 400 naming the field. */
final class Bodies {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1," + Limits.ID + "}");

    /**
     * Strict: a body is exactly one JSON value; anything after it ("{...} junk", two objects) is
     * malformed, and so is a field given twice (which one was meant?).
     */
    private static final ObjectReader STRICT = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Bodies() {}

    static JsonNode tree(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) { // white space only reads as no value, refused below
            throw new InvalidInputException("body: a JSON object is required");
        }
        try {
            // From the bytes, so that text that is not UTF-8 is refused, not stored as replacement characters.
            JsonNode node = STRICT.readTree(body);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException("body: a JSON object is required");
            }
            requireStorableText(node, new ArrayDeque<>());
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body: malformed JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading bytes already in memory does no I/O
        }
    }

    /**
     * JSON escapes can carry what no database stores as sent: a NUL character (PostgreSQL refuses
     * it, so a retry could never succeed) or half of a surrogate pair (stored as "?"). Refused here,
     * in any string or field name, so both databases keep exactly what the client sent.
     */
    private static void requireStorableText(JsonNode node, Deque<Object> path) {
        if (node.isTextual()) {
            requireStorable(node.textValue(), path);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.addLast(i);
                requireStorableText(node.get(i), path);
                path.removeLast();
            }
        } else if (node.isObject()) {
            for (var field : node.properties()) {
                path.addLast(field.getKey());
                requireStorable(field.getKey(), path);
                requireStorableText(field.getValue(), path);
                path.removeLast();
            }
        }
    }

    /** The path is kept as segments and spelled out only for an error: a deep body with long keys costs no more to scan. */
    private static void requireStorable(String text, Deque<Object> path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new InvalidInputException(spelled(path) + ": the NUL character (\\u0000) cannot be stored");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a whole pair: one character outside the basic plane, such as an emoji
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException(spelled(path) + ": half of a UTF-16 surrogate pair (\\u"
                        + Integer.toHexString(c) + ") is not a character");
            }
        }
    }

    /** A field's path as every error names it: "message.text", "assignTo.users[1]"; "body" for the body itself. */
    private static String spelled(Deque<Object> path) {
        StringBuilder spelled = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer index) {
                spelled.append('[').append(index).append(']');
            } else {
                spelled.append(spelled.isEmpty() ? "" : ".").append(segment);
            }
        }
        return spelled.isEmpty() ? "body" : spelled.toString();
    }

    static <T> T read(Context ctx, Class<T> type) {
        return convert(tree(ctx), type);
    }

    static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(path(e) + ": unknown field");
        } catch (InvalidFormatException e) {
            String allowed = e.getTargetType() != null && e.getTargetType().isEnum()
                    ? "; one of " + Arrays.stream(e.getTargetType().getEnumConstants()).map(c -> c.toString().toLowerCase()).toList()
                    : "";
            throw new InvalidInputException(path(e) + ": invalid value " + e.getValue() + allowed);
        } catch (MismatchedInputException e) {
            throw new InvalidInputException(path(e) + ": wrong type or missing value");
        } catch (JsonMappingException e) {
            throw new InvalidInputException(path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidInputException("body: " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        Deque<Object> path = new ArrayDeque<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.addLast(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.addLast(ref.getIndex());
            }
        }
        return spelled(path);
    }

    static <T> T required(String field, T value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new InvalidInputException(field + ": required");
        }
        return value;
    }

    /** A client-supplied id, or null when absent. */
    static String optionalId(String field, String id) {
        if (id != null && !ID.matcher(id).matches()) {
            throw new InvalidInputException(field + ": 1-" + Limits.ID + " of A-Z a-z 0-9 _ . - (got '" + abbreviate(id) + "')");
        }
        return id;
    }

    static String text(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(field + ": at most " + max + " characters");
        }
        return value;
    }

    static String requiredText(String field, String value, int max) {
        return text(field, required(field, value), max);
    }

    /** A name (of a user, team, inbox, channel, contact or token), or null. */
    static String name(String field, String value) {
        return text(field, value, Limits.NAME);
    }

    static String requiredName(String field, String value) {
        return requiredText(field, value, Limits.NAME);
    }

    /**
     * An email address: something@somewhere, within the limit both as sent and in the form contacts
     * are stored in (stripped, lower case), which can be longer: "İ" in lower case is two characters.
     */
    static String email(String field, String value) {
        text(field, value, Limits.EMAIL);
        if (Contact.normalEmail(value).length() > Limits.EMAIL) {
            throw new InvalidInputException(field + ": at most " + Limits.EMAIL + " characters, also in lower case");
        }
        if (!value.matches("[^@\\s]+@[^@\\s]+")) {
            throw new InvalidInputException(field + ": not an email address ('" + abbreviate(value) + "')");
        }
        return value;
    }

    /** An ISO-8601 date and time with an offset ("2027-01-31T00:00:00Z"), or null when not given. */
    static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field + ": not an ISO-8601 date and time with an offset, such as "
                    + "2027-01-31T00:00:00Z");
        }
    }

    /** A query parameter's value, or null when absent; none is longer than {@link Limits#QUERY_PARAM}. */
    static String query(Context ctx, String name) {
        String value = text(name, ctx.queryParam(name), Limits.QUERY_PARAM);
        if (value != null) {
            requireStorable(value, new ArrayDeque<>(List.of(name)));
        }
        return value;
    }

    static void idList(String field, List<String> ids) {
        if (ids == null) {
            return;
        }
        if (ids.size() > Limits.LIST_ITEMS) {
            throw new InvalidInputException(field + ": at most " + Limits.LIST_ITEMS + " ids");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            required(field + "[" + i + "]", ids.get(i));
            optionalId(field + "[" + i + "]", ids.get(i));
            if (!seen.add(ids.get(i))) {
                throw new InvalidInputException(field + "[" + i + "]: '" + ids.get(i) + "' is already listed");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 70 ? s.substring(0, 67) + "..." : s;
    }
}
