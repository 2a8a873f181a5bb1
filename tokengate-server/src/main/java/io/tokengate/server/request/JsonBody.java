package io.tokengate.server.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.Quote;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body read as JSON for {@code [JsonData::…]} conditions, parsed once and strictly: UTF-8
 * only (no byte-order mark, no UTF-16 or UTF-32 guessed from the bytes), one JSON value and nothing
 * after it, no comments or other extensions, no duplicate key anywhere
 * (two parsers may keep different copies of a duplicate, so it never matches), no key holding
 * U+0000 (see {@code Reading.value}), and bounded nesting. A node matches as its text: a string's value,
 * the JSON text of a number exactly as written, {@code true}/{@code false}/{@code null}, or the
 * compact JSON of an object or array.
 *
 * <p>Only the nodes at the paths the limits ask about are kept ({@link #parse}): the rest of the
 * body is checked as it streams by and not built into a tree, which for a body of a megabyte of
 * small values ({@code [1,1,1,…]}) would take some forty times its size, and for a few such
 * bodies read at once more than the heap. What is held beyond the body is the text of the nodes
 * asked about and the keys of the objects being read (to find duplicates).
 */
public final class JsonBody {
    /** Deepest nesting accepted; deeper bodies are not inspected and so match nothing. */
    static final int MAX_DEPTH = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            // Keys are compared here, once: no table of them kept, nor interned, past this body.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private static final JsonBody EMPTY = new JsonBody(null, "the request has no body");

    /** The largest body decoded whole before it is parsed: 128 KiB of characters at most. */
    static final int DECODED_AT_ONCE = 64 * 1024;

    /** The paths read, as steps from the root, with the text of the nodes found; null when unusable. */
    private final Step root;

    private final String unusable;

    private JsonBody(Step root, String unusable) {
        this.root = root;
        this.unusable = unusable;
    }

    /** The body of a request without one. */
    public static JsonBody absent() {
        return EMPTY;
    }

    /**
     * Reads {@code bytes}, keeping the nodes at {@code wanted}, the only paths {@link #lookup} may
     * ask about afterwards. Never throws: a body that is not usable JSON says why on every lookup.
     */
    public static JsonBody parse(byte[] bytes, Collection<JsonPath> wanted) {
        if (bytes == null || bytes.length == 0) {
            return EMPTY;
        }
        Reading reading = new Reading(wanted);
        // Read as characters decoded from UTF-8, not as bytes: Jackson would guess UTF-16 or UTF-32
        // from the bytes; an upstream that reads UTF-8, as JSON between systems must be, would not.
        try (JsonParser parser = parser(bytes)) {
            if (parser == null) {
                return new JsonBody(null, "the body is not JSON (not UTF-8)");
            }
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new JsonBody(null, "the body is not JSON (empty)");
            }
            reading.value(parser, first, reading.root);
            return hasTrailingContent(parser)
                    ? new JsonBody(null, "the body is not JSON (content after the value)")
                    : new JsonBody(reading.root, null);
        } catch (DuplicateKey e) {
            return new JsonBody(null, "the body has a duplicate key '" + e.getMessage() + "'");
        } catch (NumberOutOfRange e) {
            return new JsonBody(
                    null, "the body has a number '" + e.getMessage() + "' that Jira reads as infinity or 0");
        } catch (KeyWithNul e) {
            return new JsonBody(
                    null,
                    "the body has a key with a NUL character '" + e.getMessage()
                            + "', which Jira may read as another key");
        } catch (IOException | RuntimeException e) {
            return new JsonBody(null, "the body is not JSON");
        }
    }

    /**
     * A parser of the characters {@code bytes} encode in UTF-8; null when they are not well-formed
     * UTF-8. A body of up to {@link #DECODED_AT_ONCE} bytes is decoded at once and parsed from its
     * characters; a larger one is checked first, then decoded again as it is parsed, a few
     * kilobytes at a time, so that reading it holds little more than its bytes.
     */
    private static JsonParser parser(byte[] bytes) throws IOException {
        if (bytes.length <= DECODED_AT_ONCE) {
            CharBuffer chars;
            try {
                chars = utf8().decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                return null;
            }
            return FACTORY.createParser(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
        }
        if (!isUtf8(bytes)) {
            return null;
        }
        return FACTORY.createParser(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
    }

    private static CharsetDecoder utf8() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Whether {@code bytes} are well-formed UTF-8, decoded a piece at a time into one small buffer. */
    private static boolean isUtf8(byte[] bytes) {
        CharsetDecoder decoder = utf8();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // Room for a surrogate pair at least, which the decoder cannot split.
        CharBuffer out = CharBuffer.allocate(Math.max(2, Math.min(bytes.length, 8192)));
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return false;
            }
            out.clear();
            if (result.isUnderflow()) {
                return !decoder.flush(out).isError();
            }
        }
    }

    private static boolean hasTrailingContent(JsonParser parser) {
        try {
            return parser.nextToken() != null;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The node at {@code path}, or why there is none.
     *
     * @throws IllegalArgumentException when {@code path} was not among those {@link #parse} was given
     */
    public JsonLookup lookup(JsonPath path) {
        if (unusable != null) {
            return JsonLookup.unusable(unusable);
        }
        Step step = root;
        for (int i = 0; step != null && i < path.segments().size(); i++) {
            step = step.below(path.segments().get(i));
        }
        if (step == null || !step.wanted) {
            throw new IllegalArgumentException("the body was not read for the JSON path " + path);
        }
        return step.text == null ? JsonLookup.missing() : JsonLookup.found(step.text);
    }

    /** Whether the body parsed as JSON. */
    public boolean isJson() {
        return unusable == null;
    }

    /**
     * A step of the paths a body is read for: the root, or a member name or array index below the
     * step above it. Made for one read, which sets the text of the wanted steps it finds.
     */
    private static final class Step {
        /** Past this many steps below one, they are found by a hash table instead of one by one. */
        private static final int SCANNED = 8;

        private static final Step[] NONE = {};

        final String segment;
        /** Whether a path ends here: the node here is kept. */
        boolean wanted;
        /** The text of the node here, once read; only for a wanted step. */
        String text;

        private Step[] below = NONE;
        private int count;
        private Map<String, Step> byName;
        /** The largest array index among the steps below; -1 when none is one. */
        private int lastIndex = -1;

        Step(String segment) {
            this.segment = segment;
        }

        /** The paths {@code paths} as steps from a root. */
        static Step root(Collection<JsonPath> paths) {
            Step root = new Step("");
            for (JsonPath path : paths) {
                Step step = root;
                for (String segment : path.segments()) {
                    Step next = step.below(segment);
                    step = next != null ? next : step.add(segment);
                }
                step.wanted = true;
            }
            return root;
        }

        private Step add(String segment) {
            Step step = new Step(segment);
            if (count == below.length) {
                below = Arrays.copyOf(below, Math.max(2, count * 2));
            }
            below[count++] = step;
            if (byName != null) {
                byName.put(segment, step);
            } else if (count > SCANNED) {
                byName = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    byName.put(below[i].segment, below[i]);
                }
            }
            lastIndex = Math.max(lastIndex, JsonPath.arrayIndex(segment));
            return step;
        }

        /** The step below this one by {@code segment}; null when no path goes on that way. */
        Step below(String segment) {
            if (byName != null) {
                return byName.get(segment);
            }
            for (int i = 0; i < count; i++) {
                if (below[i].segment.equals(segment)) {
                    return below[i];
                }
            }
            return null;
        }

        /** The step below this one by array index {@code index}; null when no path goes on that way. */
        Step element(int index) {
            // Past the last index asked about, no index's text is even made.
            return index <= lastIndex ? below(Integer.toString(index)) : null;
        }
    }

    /** One pass over a body: the paths followed, and the compact JSON of the nodes asked about being read. */
    private static final class Reading {
        /** The paths, with the text of the nodes found; anywhere else, nothing is kept and no path is followed. */
        final Step root;

        /** The compact JSON of each wanted object or array being read, all of them written as it streams. */
        final List<StringBuilder> writing = new ArrayList<>();

        Reading(Collection<JsonPath> paths) {
            root = Step.root(paths);
        }

        /** Appends to the compact JSON of every wanted node the current one is within. */
        private void write(String text) {
            for (StringBuilder out : writing) {
                out.append(text);
            }
        }

        private void write(char c) {
            for (StringBuilder out : writing) {
                out.append(c);
            }
        }

        /**
         * Reads the value starting at {@code token}, at {@code at} (null when nothing there is kept).
         * A key holding U+0000 is refused: Jackson 1.9, which Jira's REST layer reads bodies with,
         * packs a key's UTF-8 bytes into 32-bit words without their length, so a zero byte at the
         * front of the last word vanishes and {@code "summ\u0000ary"} is read as {@code "summary"},
         * a second copy of a key this gateway saw once. A number whose magnitude a {@code double}
         * cannot hold is refused too ({@link #fitsADouble}): Jira would act on infinity or zero, a
         * value its text does not say.
         */
        void value(JsonParser parser, JsonToken token, Step at) throws IOException {
            boolean kept = at != null && at.wanted;
            switch (token) {
                case START_OBJECT -> object(parser, at, kept);
                case START_ARRAY -> array(parser, at, kept);
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    double value = parser.getDoubleValue();
                    if ((value == 0 || Double.isInfinite(value)) && !fitsADouble(parser.getText(), value)) {
                        throw new NumberOutOfRange(parser.getText());
                    }
                    scalar(parser, at, kept, false);
                }
                case VALUE_STRING -> scalar(parser, at, kept, true);
                case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> scalar(parser, at, kept, false);
                default -> throw new IOException("unexpected token " + token);
            }
        }

        private void object(JsonParser parser, Step at, boolean kept) throws IOException {
            StringBuilder own = open(kept, '{');
            DistinctKeys keys = new DistinctKeys();
            boolean first = true;
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                String name = parser.currentName();
                if (name.indexOf('\u0000') >= 0) {
                    throw new KeyWithNul(name);
                }
                boolean repeated = !keys.add(name);
                if (!writing.isEmpty()) {
                    write((first ? "\"" : ",\"") + quoted(name) + "\":");
                }
                first = false;
                value(parser, parser.nextToken(), at == null ? null : at.below(name));
                if (repeated) {
                    throw new DuplicateKey(name);
                }
            }
            close(own, at, '}');
        }

        private void array(JsonParser parser, Step at, boolean kept) throws IOException {
            StringBuilder own = open(kept, '[');
            int index = 0;
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                if (index > 0 && !writing.isEmpty()) {
                    write(',');
                }
                value(parser, t, at == null ? null : at.element(index));
                index++;
            }
            close(own, at, ']');
        }

        /** Starts an object or array: its compact JSON kept from here when it is asked about. */
        private StringBuilder open(boolean kept, char open) {
            StringBuilder own = kept ? new StringBuilder() : null;
            if (own != null) {
                writing.add(own);
            }
            if (!writing.isEmpty()) {
                write(open);
            }
            return own;
        }

        private void close(StringBuilder own, Step at, char close) {
            if (!writing.isEmpty()) {
                write(close);
            }
            if (own != null) {
                writing.remove(writing.size() - 1);
                at.text = own.toString();
            }
        }

        /**
         * A string (its value, or quoted within an object or array) or another literal (as
         * written); no string of its text is made unless it is kept or written.
         */
        private void scalar(JsonParser parser, Step at, boolean kept, boolean string) throws IOException {
            if (!kept && writing.isEmpty()) {
                // Read all the same, into the parser's own buffer: a bad escape is refused here.
                parser.finishToken();
                return;
            }
            String text = parser.getText();
            if (!writing.isEmpty()) {
                write(string ? "\"" + quoted(text) + "\"" : text);
            }
            if (kept) {
                at.text = text;
            }
        }

        private static String quoted(String text) {
            StringBuilder out = new StringBuilder(text.length() + 2);
            JsonStringEncoder.getInstance().quoteAsString(text, out);
            return out.toString();
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
        return unusable == null ? "JsonBody[json]" : "JsonBody[" + unusable + "]";
    }
}
