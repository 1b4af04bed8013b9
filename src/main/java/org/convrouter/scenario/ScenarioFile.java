package org.convrouter.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import java.io.IOException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.convrouter.support.Json;

/**
 * Reads a scenario file strictly, keeping where each scenario starts. Whatever is wrong is
 * reported at its line and column in words an analyst knows (the field's path, the fields or
 * values allowed), never as the Java classes the file is read into.
 */
final class ScenarioFile {

    /** A file that is not a list of valid scenarios; {@code line} and {@code column} point at the fault. */
    static final class Invalid extends IllegalArgumentException {
        private final int line;
        private final int column;

        Invalid(JsonLocation at, String message) {
            super(message);
            this.line = at == null ? 0 : Math.max(at.getLineNr(), 0);
            this.column = at == null ? 0 : Math.max(at.getColumnNr(), 0);
        }

        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }

    /** Times keep the offset written: it is the zone the scenario's clock shows (R12). */
    private static final ObjectReader READER = Json.mapper().readerFor(Scenario.class)
            .without(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private static final Set<String> ROUTING_EXPECTATIONS =
            Set.of("assignee", "assigneeOneOf", "strategy", "reasons", "firedRules", "notifications");
    private static final Set<String> MANUAL_EXPECTATIONS = Set.of("allowed", "refusals");

    private ScenarioFile() {}

    /** One scenario object or an array of them. */
    static List<ScenarioRunner.Placed> read(String json) {
        List<ScenarioRunner.Placed> scenarios = new ArrayList<>();
        try (JsonParser parser = Json.mapper().createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    scenarios.add(one(parser));
                }
            } else if (first == JsonToken.START_OBJECT) {
                scenarios.add(one(parser));
            } else {
                throw new Invalid(parser.currentLocation(), "a scenario file holds one scenario object or an array of them");
            }
            if (parser.nextToken() != null) {
                throw new Invalid(parser.currentTokenLocation(), "unexpected content after the scenarios");
            }
        } catch (JsonMappingException e) {
            throw new Invalid(e.getLocation(), explain(e));
        } catch (JsonProcessingException e) {
            throw new Invalid(e.getLocation(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid(null, e.getMessage()); // reading a string does no I/O
        }
        return scenarios;
    }

    private static ScenarioRunner.Placed one(JsonParser parser) throws IOException {
        JsonLocation start = parser.currentTokenLocation();
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new Invalid(start, "each scenario is an object with name, given and expect");
        }
        Scenario scenario = READER.readValue(parser);
        check(scenario, start);
        return new ScenarioRunner.Placed(scenario, start.getLineNr(), start.getColumnNr());
    }

    /** A misspelt expectation would otherwise check nothing and the scenario would pass. */
    private static void check(Scenario scenario, JsonLocation at) {
        if (scenario.name() == null || scenario.given() == null || scenario.expect() == null) {
            throw new Invalid(at, "every scenario needs name, given and expect");
        }
        if (scenario.kind() != null && !scenario.isManualAssignment() && !"routing".equals(scenario.kind())) {
            throw new Invalid(at, "scenario '" + scenario.name() + "': unknown kind '" + scenario.kind()
                    + "' (known: routing, manual-assignment)");
        }
        if (scenario.given().channel() == null || scenario.given().channel().kind() == null) {
            throw new Invalid(at, "scenario '" + scenario.name() + "': given.channel.kind is required");
        }
        Set<String> known = scenario.isManualAssignment() ? MANUAL_EXPECTATIONS : ROUTING_EXPECTATIONS;
        if (!scenario.expect().isObject()) {
            throw new Invalid(at, "scenario '" + scenario.name() + "': expect must be an object");
        }
        scenario.expect().fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                throw new Invalid(at, "scenario '" + scenario.name() + "': unknown expectation '" + key
                        + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        });
    }

    /** The fault in the analyst's terms: the field's path in the scenario and what it may hold. */
    private static String explain(JsonMappingException e) {
        String path = path(e.getPath());
        if (e instanceof PropertyBindingException unknown) {
            path = path(e.getPath().subList(0, Math.max(e.getPath().size() - 1, 0))); // where the field is, not the field
            Collection<Object> allowed = unknown.getKnownPropertyIds();
            return "unknown field '" + unknown.getPropertyName() + "' in " + (path.isEmpty() ? "the scenario" : path)
                    + (allowed == null ? "" : " (allowed: " + String.join(", ", new TreeSet<>(allowed.stream().map(String::valueOf).toList())) + ")");
        }
        String field = path.isEmpty() ? "the scenario" : path;
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("null")) {
                return field + ": required, " + expected(mismatch.getTargetType());
            }
            String value = e instanceof InvalidFormatException format ? "'" + format.getValue() + "'" : "this value";
            return field + ": " + value + " is not " + expected(mismatch.getTargetType());
        }
        return field + ": cannot be read";
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What a field of {@code type} holds, in words. */
    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList();
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == java.time.OffsetDateTime.class) {
            return "a time with its offset, such as 2026-01-07T22:00:00+01:00";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a time such as 2026-01-07T12:00:00Z";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == Scenario.MessageSpec.class) {
            return "text or an object with subject and text";
        }
        return "an object";
    }

}
