package io.tokengate.server.snippets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;

/**
 * A Postman collection (schema v2.1) with one request using Basic auth (username = user,
 * password = token secret), as JSON in pure ASCII.
 *
 * <p>Postman replaces {@code {{name}}} with a variable wherever it occurs (URL, headers, auth,
 * body), repeatedly, and always knows dynamic ones such as {@code {{$guid}}}; it has no escape
 * for it. So the URL has its braces percent-encoded (as for every language), {@code {{} inside
 * the strings of a JSON body is written {@code \}{@code u007B{} (the same JSON value), and a
 * collection is refused for a user, secret, content type or non-JSON body holding {@code {{}.
 * A path segment starting with {@code :} would be a Postman path variable; its colon is encoded.
 */
final class PostmanCollection implements Generator {
    static final String SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
                    .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                    .build())
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public Language language() {
        return Language.POSTMAN;
    }

    @Override
    public Generated generate(SnippetRequest request) {
        for (String[] field : new String[][] {
            {"user name", request.user()}, {"token secret", request.secret()}, {"content type", request.contentType()}
        }) {
            if (field[1] != null && field[1].contains("{{")) {
                return Generated.unavailable("the " + field[0]
                        + " contains '{{', which Postman would replace with a variable; it has no escape for it");
            }
        }
        String body = null;
        if (request.hasBody()) {
            body = request.body();
            if (body.contains("{{")) {
                if (!isJson(body)) {
                    return Generated.unavailable("the body contains '{{', which Postman would replace with a"
                            + " variable; only in a JSON body can it be escaped");
                }
                body = escapeDoubleBraces(body);
            }
        }
        String path = pathOf(request.url());
        ObjectNode collection = JSON.createObjectNode();
        ObjectNode info = collection.putObject("info");
        info.put("name", "tokengate: " + request.method() + " " + path);
        info.put(
                "description",
                "A call through the tokengate gateway with Basic auth: the user and the token"
                        + " secret. Import into Postman, or run with: newman run " + Language.POSTMAN.fileName());
        info.put("schema", SCHEMA);
        ObjectNode item = collection.putArray("item").addObject();
        item.put("name", request.method() + " " + path);
        ObjectNode call = item.putObject("request");
        ObjectNode auth = call.putObject("auth");
        auth.put("type", "basic");
        ArrayNode basic = auth.putArray("basic");
        basic.addObject().put("key", "username").put("value", request.user()).put("type", "string");
        basic.addObject().put("key", "password").put("value", request.secret()).put("type", "string");
        call.put("method", request.method());
        ArrayNode headers = call.putArray("header");
        if (body != null) {
            headers.addObject()
                    .put("key", "Content-Type")
                    .put("value", request.contentType())
                    .put("type", "text");
            ObjectNode raw = call.putObject("body");
            raw.put("mode", "raw");
            raw.put("raw", body);
            boolean json = request.contentType().toLowerCase(Locale.ROOT).contains("json");
            raw.putObject("options").putObject("raw").put("language", json ? "json" : "text");
        }
        call.put("url", encodePathVariables(request.url()));
        try {
            return Generated.ok(JSON.writeValueAsString(collection) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Postman collection of a JSON tree", e);
        }
    }

    private static boolean isJson(String body) {
        try {
            STRICT.readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * In valid JSON, {@code {{} can only occur inside a string (an object's first token is a
     * string or {@code }}); there the first brace of each pair becomes {@code \}{@code u007B}.
     */
    static String escapeDoubleBraces(String json) {
        StringBuilder out = new StringBuilder(json.length() + 16);
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString && c == '\\' && i + 1 < json.length()) {
                out.append(c).append(json.charAt(++i));
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            if (inString && c == '{' && i + 1 < json.length() && json.charAt(i + 1) == '{') {
                out.append("\\u007B");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The URL with the colon of every path segment that starts with one percent-encoded. */
    static String encodePathVariables(String url) {
        int query = url.indexOf('?');
        String beforeQuery = query < 0 ? url : url.substring(0, query);
        int pathStart = beforeQuery.indexOf('/', beforeQuery.indexOf("://") + 3);
        if (pathStart < 0) {
            return url;
        }
        String path = beforeQuery.substring(pathStart).replace("/:", "/%3A");
        return beforeQuery.substring(0, pathStart) + path + (query < 0 ? "" : url.substring(query));
    }

    private static String pathOf(String url) {
        int query = url.indexOf('?');
        String beforeQuery = query < 0 ? url : url.substring(0, query);
        int pathStart = beforeQuery.indexOf('/', beforeQuery.indexOf("://") + 3);
        return pathStart < 0 ? "/" : beforeQuery.substring(pathStart);
    }
}
