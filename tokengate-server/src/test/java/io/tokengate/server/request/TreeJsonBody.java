package io.tokengate.server.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.Quote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reader of JSON bodies as it was before {@link JsonBody} streamed: the whole body built into
 * a tree, then looked up. Kept as the reference {@link JsonBodyStreamingDifferentialTest} checks
 * the streaming reader against: the same strictness, the same nodes, the same reasons; and the
 * baseline {@code JsonBodyBenchmark} (tokengate-bench, through this module's test jar) measures
 * it against.
 */
public final class TreeJsonBody {
    /** Deepest nesting accepted; deeper bodies are not inspected and so match nothing. */
    static final int MAX_DEPTH = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private static final TreeJsonBody EMPTY = new TreeJsonBody(null, "the request has no body");

    private final Object root;
    private final String unusable;

    private TreeJsonBody(Object root, String unusable) {
        this.root = root;
        this.unusable = unusable;
    }

    /** The body of a request without one. */
    public static TreeJsonBody absent() {
        return EMPTY;
    }

    /** Reads {@code bytes}; never throws: a body that is not usable JSON says why on every lookup. */
    public static TreeJsonBody parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return EMPTY;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new TreeJsonBody(null, "the body is not JSON (not UTF-8)");
        }
        // Parsed from text, not bytes: Jackson would guess UTF-16 or UTF-32 from the bytes, an
        // upstream that reads UTF-8, as JSON between systems must be, would not.
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new TreeJsonBody(null, "the body is not JSON (empty)");
            }
            Object root = read(parser, first);
            return hasTrailingContent(parser)
                    ? new TreeJsonBody(null, "the body is not JSON (content after the value)")
                    : new TreeJsonBody(root, null);
        } catch (DuplicateKey e) {
            return new TreeJsonBody(null, "the body has a duplicate key '" + e.getMessage() + "'");
        } catch (NumberOutOfRange e) {
            return new TreeJsonBody(
                    null, "the body has a number '" + e.getMessage() + "' that Jira reads as infinity or 0");
        } catch (KeyWithNul e) {
            return new TreeJsonBody(
                    null,
                    "the body has a key with a NUL character '" + e.getMessage()
                            + "', which Jira may read as another key");
        } catch (IOException | RuntimeException e) {
            return new TreeJsonBody(null, "the body is not JSON");
        }
    }

    private static boolean hasTrailingContent(JsonParser parser) {
        try {
            return parser.nextToken() != null;
        } catch (IOException e) {
            return true;
        }
    }

    /** The node at {@code path}, or why there is none. */
    public JsonLookup lookup(JsonPath path) {
        if (unusable != null) {
            return JsonLookup.unusable(unusable);
        }
        Object node = root;
        for (String segment : path.segments()) {
            if (node instanceof JsonObject object) {
                node = object.members.get(segment);
            } else if (node instanceof List<?> array) {
                int index = JsonPath.arrayIndex(segment);
                node = index >= 0 && index < array.size() ? array.get(index) : null;
            } else {
                node = null;
            }
            if (node == null) {
                return JsonLookup.missing();
            }
        }
        return JsonLookup.found(text(node));
    }

    /** Whether the body parsed as JSON. */
    public boolean isJson() {
        return unusable == null;
    }

    /**
     * A key holding U+0000 is refused: Jackson 1.9, which Jira's REST layer reads bodies with,
     * packs a key's UTF-8 bytes into 32-bit words without their length, so a zero byte at the
     * front of the last word vanishes and {@code "summ\u0000ary"} is read as {@code "summary"},
     * a second copy of a key this gateway saw once. A number whose magnitude a {@code double}
     * cannot hold is refused too ({@link #fitsADouble}): Jira would act on infinity or zero, a
     * value its text does not say.
     */
    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                JsonObject object = new JsonObject();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    if (name.indexOf('\u0000') >= 0) {
                        throw new KeyWithNul(name);
                    }
                    Object value = read(parser, parser.nextToken());
                    if (object.members.putIfAbsent(name, value) != null) {
                        throw new DuplicateKey(name);
                    }
                }
                return object;
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(read(parser, t));
                }
                return array;
            case VALUE_STRING:
                return new JsonString(parser.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                if (!fitsADouble(parser.getText(), parser.getDoubleValue())) {
                    throw new NumberOutOfRange(parser.getText());
                }
                return new JsonLiteral(parser.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
                return new JsonLiteral(parser.getText());
            default:
                throw new IOException("unexpected token " + token);
        }
    }

    /**
     * Whether a number's text keeps its magnitude as a {@code double}, the type Jackson reads an
     * untyped fraction, and any number bound to a {@code double}, as: beyond about 1.8e308 it
     * becomes infinity, below about 4.9e-324 zero.
     */
    private static boolean fitsADouble(String text, double value) {
        if (Double.isInfinite(value)) {
            return false;
        }
        if (value != 0) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    /** The text a node matches as. */
    private static String text(Object node) {
        if (node instanceof JsonString string) {
            return string.value;
        }
        if (node instanceof JsonLiteral literal) {
            return literal.text;
        }
        StringBuilder out = new StringBuilder();
        writeCompact(node, out);
        return out.toString();
    }

    private static void writeCompact(Object node, StringBuilder out) {
        if (node instanceof JsonObject object) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> member : object.members.entrySet()) {
                out.append(first ? "" : ",").append('"');
                JsonStringEncoder.getInstance().quoteAsString(member.getKey(), out);
                out.append("\":");
                writeCompact(member.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (node instanceof List<?> array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                out.append(i == 0 ? "" : ",");
                writeCompact(array.get(i), out);
            }
            out.append(']');
        } else if (node instanceof JsonString string) {
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(string.value, out);
            out.append('"');
        } else {
            out.append(((JsonLiteral) node).text);
        }
    }

    private static final class JsonObject {
        final Map<String, Object> members = new LinkedHashMap<>();
    }

    private record JsonString(String value) {}

    private record JsonLiteral(String text) {}

    private static final class DuplicateKey extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DuplicateKey(String key) {
            super(Quote.shorten(key), null, false, false);
        }
    }

    private static final class NumberOutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NumberOutOfRange(String text) {
            super(Quote.shorten(text), null, false, false);
        }
    }

    private static final class KeyWithNul extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeyWithNul(String key) {
            super(Quote.shorten(key), null, false, false);
        }
    }

    @Override
    public String toString() {
        return unusable == null ? "TreeJsonBody[json]" : "TreeJsonBody[" + unusable + "]";
    }
}
