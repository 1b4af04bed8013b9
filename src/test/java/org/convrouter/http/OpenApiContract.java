package org.convrouter.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The answers openapi.yaml promises, checked against real answers: TestServer hands every exchange
 * here, so an HTTP test fails when the service answers a documented operation with a body its
 * response schema does not allow, or with a property the schema does not name. The schemas are
 * validated as OpenAPI 3.0 schemas (nullable included) by a standard JSON Schema validator, reading
 * the same file the service serves.
 */
public final class OpenApiContract {

    private static final String DOCUMENT = "openapi.yaml";
    private static final String ERROR_SCHEMA = "/components/schemas/Error";
    /** OpenAPI 3.0 schemas, told that the document's top-level keys around them are no schema keywords. */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getOpenApi30())
            .keywords(Stream.of("openapi", "info", "servers", "security", "tags", "paths", "components")
                    .map(NonValidationKeyword::new).toList())
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiContract INSTANCE = new OpenApiContract(load());

    private final JsonNode document;
    private final List<Template> templates = new ArrayList<>();
    private final SchemaRegistry registry = SchemaRegistry.withDialect(DIALECT);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** A documented path; {@code params} counts its {placeholders}, so literal paths win over templates. */
    private record Template(String path, Pattern pattern, int params) { }

    private OpenApiContract(JsonNode document) {
        this.document = document;
        Iterator<String> paths = document.path("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            String regex = Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            templates.add(new Template(path, Pattern.compile(regex), path.split("\\{", -1).length - 1));
        }
        templates.sort(Comparator.comparingInt(Template::params));
    }

    public static OpenApiContract get() {
        return INSTANCE;
    }

    /** Every documented operation ("GET /api/v1/users/{id}"). */
    public Set<String> operations() {
        Set<String> all = new TreeSet<>();
        for (Template t : templates) {
            document.path("paths").path(t.path()).fieldNames().forEachRemaining(m -> {
                if (!m.equals("parameters")) {
                    all.add(m.toUpperCase(Locale.ROOT) + " " + t.path());
                }
            });
        }
        return all;
    }

    /** The document as a tree; duplicate keys (a merge gone wrong) are refused rather than silently dropped. */
    static JsonNode load() {
        YAMLMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is not on the class path");
            }
            return yaml.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(DOCUMENT + " is not valid YAML", e);
        }
    }

    /** Throws an AssertionError naming the differences when this answer breaks the document. */
    public void check(String method, String uri, int status, String contentType, String body) {
        List<String> problems = problems(method, uri, status, contentType, body);
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + uri + " answered " + status + " against " + DOCUMENT + ": "
                    + String.join("; ", problems) + "\nbody: " + body);
        }
    }

    /** The documented operation this call names ("GET /api/v1/users/{id}"), if any. */
    public Optional<String> operation(String method, String uri) {
        return template(method, uri).map(t -> method.toUpperCase(Locale.ROOT) + " " + t.path());
    }

    /** The documented path a call's URI matches, when it documents the method there. */
    private Optional<Template> template(String method, String uri) {
        String path = uri.replaceFirst("[?#].*$", "");
        return templates.stream().filter(t -> t.pattern().matcher(path).matches()).findFirst()
                .filter(t -> document.path("paths").path(t.path()).has(method.toLowerCase(Locale.ROOT)));
    }

    /**
     * What this answer does differently from the document; empty when it conforms or when the path
     * or method is not documented at all (OpenApiTest checks the routes against the document).
     */
    public List<String> problems(String method, String uri, int status, String contentType, String body) {
        Optional<Template> template = template(method, uri);
        if (template.isEmpty()) {
            return List.of();
        }
        JsonNode operation = document.path("paths").path(template.get().path()).path(method.toLowerCase(Locale.ROOT));
        String operationPointer = "/paths/" + escape(template.get().path()) + "/" + method.toLowerCase(Locale.ROOT);
        String code = Integer.toString(status);
        String responsePointer = null;
        for (String key : List.of(code, code.charAt(0) + "XX", "default")) {
            if (operation.path("responses").has(key)) {
                responsePointer = operationPointer + "/responses/" + key;
                break;
            }
        }
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
        if (responsePointer == null) {
            if (status / 100 == 2 || status / 100 == 3) {
                return List.of("the document lists no " + code + " answer for " + method + " " + template.get().path());
            }
            // Errors every operation can answer (401, 413, 503 ...) are documented once, as the Error shape.
            return json ? validate(ERROR_SCHEMA, body) : List.of("an error answer that is not JSON (" + contentType + ")");
        }
        responsePointer = resolve(responsePointer);
        JsonNode content = at(responsePointer).path("content");
        if (content.has("application/json")) {
            if (!json) {
                return List.of("documented as application/json, answered " + contentType);
            }
            return validate(responsePointer + "/content/application~1json/schema", body);
        }
        if (json && content.isMissingNode() && body != null && !body.isEmpty()) {
            return List.of("the document gives this answer no body, yet it has a JSON one");
        }
        return List.of();
    }

    private List<String> validate(String schemaPointer, String body) {
        String pointer = resolve(schemaPointer);
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(
                SchemaLocation.of("classpath:" + DOCUMENT + "#" + p.replace("{", "%7B").replace("}", "%7D"))));
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(body, InputFormat.JSON)) {
            problems.add(error.toString());
        }
        if (problems.isEmpty()) {
            try {
                undocumented(JSON.readTree(body), at(pointer), "$", problems);
            } catch (IOException e) {
                problems.add("not JSON: " + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * Adds the properties of {@code value} its schema does not name. OpenAPI 3.0 has no
     * unevaluatedProperties, so {@code additionalProperties: false} cannot be combined with allOf
     * (UserWithToken, ConversationDetail); this walk reads the properties of every allOf member instead.
     * An object schema naming no properties (or with additionalProperties) takes anything.
     */
    private void undocumented(JsonNode value, JsonNode schema, String where, List<String> problems) {
        schema = deref(schema);
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                undocumented(value.get(i), schema.get("items"), where + "[" + i + "]", problems);
            }
            return;
        }
        if (!value.isObject()) {
            return;
        }
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        collectProperties(schema, properties);
        JsonNode additional = schema.path("additionalProperties");
        if (properties.isEmpty() && (additional.isMissingNode() || additional.isBoolean())) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode declared = properties.get(field.getKey());
            if (declared != null) {
                undocumented(field.getValue(), declared, where + "." + field.getKey(), problems);
            } else if (additional.isObject()) {
                undocumented(field.getValue(), additional, where + "." + field.getKey(), problems);
            } else if (!additional.asBoolean(false)) {
                problems.add(where + "." + field.getKey() + ": a property the document does not name");
            }
        }
    }

    private void collectProperties(JsonNode schema, Map<String, JsonNode> into) {
        JsonNode resolved = deref(schema);
        resolved.path("properties").fields().forEachRemaining(p -> into.putIfAbsent(p.getKey(), p.getValue()));
        resolved.path("allOf").forEach(member -> collectProperties(member, into));
    }

    private JsonNode deref(JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 10 && current.path("$ref").isTextual(); i++) {
            current = at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    /** Follows {@code $ref}s to local components until a node is not a reference. */
    private String resolve(String pointer) {
        String current = pointer;
        for (int i = 0; i < 10; i++) {
            JsonNode ref = at(current).path("$ref");
            if (!ref.isTextual()) {
                return current;
            }
            if (!ref.asText().startsWith("#/")) {
                throw new IllegalStateException("only local references are supported: " + ref.asText());
            }
            current = ref.asText().substring(1);
        }
        throw new IllegalStateException("a reference cycle at " + pointer);
    }

    private JsonNode at(String pointer) {
        return document.at(pointer);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
