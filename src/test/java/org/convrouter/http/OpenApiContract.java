package org.convrouter.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The answers openapi.yaml promises, checked against real answers: TestServer hands every exchange
 * here, so an HTTP test fails when the service answers a documented operation with a body its
 * response schema does not allow. The schemas are validated as OpenAPI 3.0 schemas (nullable
 * included) by a standard JSON Schema validator, reading the same file the service serves.
 */
public final class OpenApiContract {

    private static final String DOCUMENT = "openapi.yaml";
    private static final String ERROR_SCHEMA = "/components/schemas/Error";
    /** OpenAPI 3.0 schemas, told that the document's top-level keys around them are no schema keywords. */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getOpenApi30())
            .keywords(Stream.of("openapi", "info", "servers", "security", "tags", "paths", "components")
                    .map(NonValidationKeyword::new).toList())
            .build();
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

    /**
     * What this answer does differently from the document; empty when it conforms or when the path
     * or method is not documented at all (OpenApiTest checks the routes against the document).
     */
    public List<String> problems(String method, String uri, int status, String contentType, String body) {
        String path = uri.replaceFirst("[?#].*$", "");
        Optional<Template> template = templates.stream().filter(t -> t.pattern().matcher(path).matches()).findFirst();
        if (template.isEmpty()) {
            return List.of();
        }
        JsonNode operation = document.path("paths").path(template.get().path()).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            return List.of();
        }
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
        Schema schema = schemas.computeIfAbsent(resolve(schemaPointer), p -> registry.getSchema(
                SchemaLocation.of("classpath:" + DOCUMENT + "#" + p.replace("{", "%7B").replace("}", "%7D"))));
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(body, InputFormat.JSON)) {
            problems.add(error.toString());
        }
        return problems;
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
