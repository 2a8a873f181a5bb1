package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin API's OpenAPI document as a test oracle: {@link #check} fails unless a real response
 * is documented for its operation (path, method, status, media type) and its body validates
 * against the documented JSON schema (OpenAPI 3.1 schemas are JSON Schema 2020-12, validated by
 * networknt). Remembers which operations it has seen, so a test can prove it covered them all.
 */
final class OpenApiContract {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1";

    private final JsonNode document;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    OpenApiContract() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(OpenApiResource.RESOURCE)) {
            this.document = YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode document() {
        return document;
    }

    /** Every documented operation, as {@code METHOD /template}. */
    Set<String> operations() {
        Set<String> all = new TreeSet<>();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                    if (!method.equals("parameters")) {
                        all.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return all;
    }

    /** Every operation {@link #check} has validated a response of. */
    Set<String> seen() {
        return new TreeSet<>(seen);
    }

    /**
     * @param path the request path, e.g. {@code /api/v1/tokens/tok_…}, without query
     * @throws AssertionError describing the first way the response departs from the document
     */
    void check(String method, String path, int status, String contentType, String body) {
        if (!path.startsWith(PREFIX + "/")) {
            throw new AssertionError(path + " is not under " + PREFIX);
        }
        String template = template(path.substring(PREFIX.length()))
                .orElseThrow(() -> new AssertionError("no path in openapi.yaml matches " + path));
        JsonNode operation = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            throw new AssertionError("openapi.yaml has no " + method + " " + template);
        }
        String key = method + " " + template;
        JsonNode response = resolve(operation.path("responses").path(Integer.toString(status)));
        if (response.isMissingNode()) {
            throw new AssertionError(key + " answered " + status + ", which openapi.yaml does not document: " + body);
        }
        seen.add(key);
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                throw new AssertionError(key + " " + status + " is documented without a body, but has one: " + body);
            }
            return;
        }
        String mediaType =
                contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        JsonNode media = content.path(mediaType);
        if (media.isMissingNode()) {
            throw new AssertionError(key + " " + status + " answered " + contentType + "; documented: "
                    + iterable(content.fieldNames()));
        }
        if (!mediaType.equals("application/json")) {
            return; // CSV, JSON Lines and YAML are documented as strings
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(key + " " + status + " answered invalid JSON: " + body, e);
        }
        Schema schema = schemas.computeIfAbsent(key + " " + status, k -> compile(media.path("schema")));
        List<Error> errors = schema.validate(json);
        if (!errors.isEmpty()) {
            throw new AssertionError(
                    key + " " + status + " does not match openapi.yaml: " + errors + "\nbody: " + body);
        }
    }

    /** A schema whose {@code #/components/...} references resolve inside the document's components. */
    private Schema compile(JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", document.path("components"));
        root.putArray("allOf").add(schema);
        return registry.getSchema(root);
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual() && ref.asText().startsWith("#/")) {
            return document.at(ref.asText().substring(1));
        }
        return node;
    }

    private Optional<String> template(String path) {
        List<String> candidates = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(candidates::add);
        if (candidates.contains(path)) {
            return Optional.of(path);
        }
        return candidates.stream()
                .filter(t -> path.matches(t.replaceAll("\\{[^/]+}", "[^/]+").replace(".", "\\.")))
                .findFirst();
    }

    private static Set<String> iterable(Iterator<String> names) {
        Set<String> all = new LinkedHashSet<>();
        names.forEachRemaining(all::add);
        return all;
    }
}
