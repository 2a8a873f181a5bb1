package io.tokengate.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile JSON bodies read by the gateway and by the parsers Jira's REST layer uses on the same
 * bytes: Jackson 1.9 (org.codehaus.jackson, Jira's REST plugin) and Jackson 2, each with the
 * defaults their JAX-RS providers keep (no parser feature enabled, duplicate keys: the last wins,
 * content after the first value ignored, the charset guessed from the bytes). A body the gateway
 * allows must hold, as each upstream parser reads it, a value the limit allows; a body an upstream
 * parser refuses cannot do harm there, so only allowed bodies that parse upstream are compared.
 * Each upstream parser is one shared mapper, as in Jira: names a body puts in Jackson's symbol table
 * stay there for the bodies after it.
 */
class JsonBodyDifferentialTest {
    private static final String URL = "https://gw.example.com/rest/api/2/issue";
    private static final org.codehaus.jackson.map.ObjectMapper JACKSON_1 = new org.codehaus.jackson.map.ObjectMapper();
    private static final com.fasterxml.jackson.databind.ObjectMapper JACKSON_2 =
            new com.fasterxml.jackson.databind.ObjectMapper();
    /** JSON null as an upstream read it, apart from a missing node. */
    private static final Object NULL = new Object();

    /** A body, and the one condition a token puts on it. */
    record Case(String name, byte[] body, String path, String regex) {
        static Case of(String name, String body, String path, String regex) {
            return new Case(name, body.getBytes(StandardCharsets.UTF_8), path, regex);
        }

        static Case of(String name, String body, Charset charset, String path, String regex) {
            return new Case(name, body.getBytes(charset), path, regex);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** How one upstream parser reads bytes into maps, lists, strings, numbers, booleans and null. */
    interface Upstream {
        Object read(byte[] body) throws Exception;

        String write(Object value) throws Exception;
    }

    static final Upstream JIRA_JACKSON_1 = new Upstream() {
        @Override
        public Object read(byte[] body) throws Exception {
            return JACKSON_1.readValue(new ByteArrayInputStream(body), Object.class);
        }

        @Override
        public String write(Object value) throws Exception {
            return JACKSON_1.writeValueAsString(value);
        }

        @Override
        public String toString() {
            return "Jackson 1.9";
        }
    };

    static final Upstream JIRA_JACKSON_2 = new Upstream() {
        @Override
        public Object read(byte[] body) throws Exception {
            return JACKSON_2.readValue(new ByteArrayInputStream(body), Object.class);
        }

        @Override
        public String write(Object value) throws Exception {
            return JACKSON_2.writeValueAsString(value);
        }

        @Override
        public String toString() {
            return "Jackson 2";
        }
    };

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(handWritten());
        cases.addAll(nulInKeys());
        cases.addAll(escapedKeys());
        cases.addAll(mutations(new Random(20261202L), 400));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void aBodyTheGatewayAllowsHoldsAnAllowedValueAsJiraReadsIt(Case c) throws Exception {
        Limits limits = LimitsParser.parse("[post].*/rest/api/2/issue[JsonData::" + c.path + "==" + c.regex + "]");
        if (!limits.evaluate(SampleRequest.of("POST", URL, c.body, limits.jsonPaths()))
                .allowed()) {
            return;
        }
        String seen =
                ((JsonLookup.Found) JsonBody.parse(c.body, limits.jsonPaths()).lookup(JsonPath.parse(c.path))).text();
        for (Upstream upstream : List.of(JIRA_JACKSON_1, JIRA_JACKSON_2)) {
            Object document;
            try {
                document = upstream.read(c.body);
            } catch (Exception e) {
                continue;
            }
            Optional<Object> read = nodeAt(document, JsonPath.parse(c.path));
            assertThat(read)
                    .as("%s: the gateway allowed '%s', %s reads no value there", c.name, seen, upstream)
                    .isPresent();
            Object value = read.get();
            if (!agrees(upstream, seen, value)) {
                String text = value instanceof String s ? s : upstream.write(value);
                assertThat(limits.evaluate(SampleRequest.of(
                                        "POST", URL, jsonWith(c.path, value, upstream), limits.jsonPaths()))
                                .allowed())
                        .as("%s: the gateway allowed '%s', %s reads '%s'", c.name, seen, upstream, text)
                        .isTrue();
            }
        }
    }

    /** The seed's filter, bound as Jira binds a bean: Jackson 1.9 coerces strings, numbers and arrays. */
    public static final class FilterBean {
        public String name;
        public Boolean favourite;
        public boolean editable;
    }

    static Stream<String> filterValues() {
        return Stream.of(
                "false",
                "\"false\"",
                "0",
                "\"0\"",
                "0.0",
                "\"\"",
                "\" false\"",
                "\"FALSE\"",
                "\"False\"",
                "[false]",
                "null",
                "\"null\"",
                "true",
                "\"true\"",
                "1",
                "-0",
                "\"\\u0066alse\"",
                "{}",
                "[]",
                "\"f\"",
                "\"no\"");
    }

    @ParameterizedTest
    @MethodSource("filterValues")
    void aFilterTheSeedLimitAllowsIsNeitherFavouriteNorEditableAsJiraBindsIt(String value) throws Exception {
        String limit = ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]";
        for (String body : List.of(
                "{\"name\":\"x\",\"favourite\":" + value + ",\"editable\":false}",
                "{\"name\":\"x\",\"favourite\":false,\"editable\":" + value + "}")) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Limits limits = LimitsParser.parse(limit);
            if (!limits.evaluate(SampleRequest.of(
                            "POST", "https://gw.example.com/rest/api/2/filter", bytes, limits.jsonPaths()))
                    .allowed()) {
                continue;
            }
            FilterBean bound;
            try {
                bound = JACKSON_1.readValue(new ByteArrayInputStream(bytes), FilterBean.class);
            } catch (Exception e) {
                continue;
            }
            assertThat(bound.favourite).as(body).isFalse();
            assertThat(bound.editable).as(body).isFalse();
        }
    }

    @Test
    void theCorpusHoldsCasesTheGatewayAllowsAndCasesItRefuses() {
        long allowed = corpus().filter(c -> {
                    Limits limits =
                            LimitsParser.parse("[post].*/rest/api/2/issue[JsonData::" + c.path + "==" + c.regex + "]");
                    return limits.evaluate(SampleRequest.of("POST", URL, c.body, limits.jsonPaths()))
                            .allowed();
                })
                .count();
        long all = corpus().count();
        assertThat(all).isGreaterThan(500);
        assertThat(allowed).as("allowed cases").isGreaterThan(20).isLessThan(all - 100);
    }

    /** The value at {@code path} in a document an upstream read, or empty when there is none. */
    private static Optional<Object> nodeAt(Object document, JsonPath path) {
        Object node = document;
        for (String segment : path.segments()) {
            if (node instanceof Map<?, ?> object && object.containsKey(segment)) {
                node = object.get(segment);
            } else if (node instanceof List<?> array
                    && JsonPath.arrayIndex(segment) >= 0
                    && JsonPath.arrayIndex(segment) < array.size()) {
                node = array.get(JsonPath.arrayIndex(segment));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(node == null ? NULL : node);
    }

    /** Whether the gateway's text for a node denotes the value the upstream read. */
    private static boolean agrees(Upstream upstream, String seen, Object value) throws Exception {
        if (value == NULL) {
            return seen.equals("null");
        }
        if (value instanceof String s) {
            return seen.equals(s);
        }
        if (value instanceof Boolean b) {
            return seen.equals(b.toString());
        }
        if (value instanceof Number n) {
            try {
                return new BigDecimal(seen).compareTo(new BigDecimal(n.toString())) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        try {
            return Objects.equals(upstream.read(seen.getBytes(StandardCharsets.UTF_8)), value);
        } catch (Exception e) {
            return false;
        }
    }

    /** A plain body holding {@code value} at {@code path}, to ask the limit about the upstream's value. */
    private static byte[] jsonWith(String path, Object value, Upstream upstream) throws Exception {
        String json = value == NULL ? "null" : upstream.write(value);
        List<String> segments = JsonPath.parse(path).segments();
        for (int i = segments.size() - 1; i >= 0; i--) {
            String name = upstream.write(segments.get(i));
            json = "{" + name + ":" + json + "}";
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Case> handWritten() {
        String key = "fields.project.key";
        String allowed = "JRA";
        List<Case> cases = new ArrayList<>();
        // Duplicates, in every place a second copy can hide.
        cases.add(Case.of(
                "dup.same-object", "{\"fields\":{\"project\":{\"key\":\"JRA\",\"key\":\"EVIL\"}}}", key, allowed));
        cases.add(Case.of(
                "dup.parent",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"project\":{\"key\":\"EVIL\"}}}",
                key,
                allowed));
        cases.add(Case.of(
                "dup.root",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"}},\"fields\":{\"project\":{\"key\":\"EVIL\"}}}",
                key,
                allowed));
        cases.add(Case.of(
                "dup.escaped-u", "{\"fields\":{\"project\":{\"key\":\"JRA\",\"\\u006bey\":\"EVIL\"}}}", key, allowed));
        cases.add(Case.of(
                "dup.escaped-upper-hex",
                "{\"fields\":{\"project\":{\"key\":\"JRA\",\"\\u006Bey\":\"EVIL\"}}}",
                key,
                allowed));
        cases.add(Case.of(
                "dup.escaped-all",
                "{\"fields\":{\"project\":{\"key\":\"JRA\",\"\\u006b\\u0065\\u0079\":\"EVIL\"}}}",
                key,
                allowed));
        cases.add(Case.of(
                "dup.escaped-parent",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"\\u0070roject\":{\"key\":\"EVIL\"}}}",
                key,
                allowed));
        cases.add(Case.of("dup.escaped-slash-key", "{\"a/b\":\"JRA\",\"a\\/b\":\"EVIL\"}", "/a~1b", allowed));
        cases.add(Case.of(
                "dup.null-then-value", "{\"fields\":{\"project\":{\"key\":null,\"key\":\"EVIL\"}}}", key, "null"));
        cases.add(Case.of(
                "dup.in-array",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"labels\":[{\"a\":1,\"a\":2}]}}",
                key,
                allowed));
        cases.add(Case.of(
                "dup.case-only", "{\"fields\":{\"project\":{\"key\":\"JRA\",\"Key\":\"EVIL\"}}}", key, allowed));
        // Content after the value: Jackson's ObjectMapper reads the first value and stops.
        cases.add(Case.of(
                "trailing.second-object",
                "{\"fields\":{\"project\":{\"key\":\"EVIL\"}}}{\"fields\":{\"project\":{\"key\":\"JRA\"}}}",
                key,
                allowed));
        cases.add(Case.of("trailing.garbage", "{\"fields\":{\"project\":{\"key\":\"JRA\"}}} x", key, allowed));
        cases.add(Case.of("trailing.bracket", "{\"fields\":{\"project\":{\"key\":\"JRA\"}}}]", key, allowed));
        cases.add(Case.of("trailing.comment", "{\"fields\":{\"project\":{\"key\":\"JRA\"}}}//x", key, allowed));
        cases.add(Case.of("trailing.whitespace", "{\"fields\":{\"project\":{\"key\":\"JRA\"}}}\r\n\t ", key, allowed));
        // Extensions off by default in both Jacksons, and in the gateway.
        cases.add(Case.of("ext.block-comment", "{\"fields\":{\"project\":{/*x*/\"key\":\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ext.line-comment", "{\"fields\":{\"project\":{//x\n\"key\":\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ext.hash-comment", "{\"fields\":{\"project\":{#x\n\"key\":\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ext.single-quotes", "{'fields':{'project':{'key':'JRA'}}}", key, allowed));
        cases.add(Case.of("ext.unquoted-keys", "{fields:{project:{key:\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ext.trailing-comma-object", "{\"fields\":{\"project\":{\"key\":\"JRA\",}}}", key, allowed));
        cases.add(Case.of(
                "ext.trailing-comma-array", "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"l\":[1,]}}", key, allowed));
        cases.add(Case.of(
                "ext.missing-value-array", "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"l\":[1,,2]}}", key, allowed));
        cases.add(Case.of("ext.backslash-any", "{\"fields\":{\"project\":{\"key\":\"J\\RA\"}}}", key, "J.?RA"));
        cases.add(Case.of("ext.escaped-quote-single", "{\"fields\":{\"project\":{\"key\":\"JRA\\'\"}}}", key, "JRA.?"));
        cases.add(Case.of("ext.unquoted-value", "{\"fields\":{\"project\":{\"key\":JRA}}}", key, allowed));
        cases.add(Case.of("ext.raw-tab-in-string", "{\"fields\":{\"project\":{\"key\":\"JRA\t\"}}}", key, "JRA\\s?"));
        cases.add(
                Case.of("ext.raw-newline-in-string", "{\"fields\":{\"project\":{\"key\":\"JRA\n\"}}}", key, "JRA\\s?"));
        cases.add(Case.of("ext.raw-nul-in-string", "{\"fields\":{\"project\":{\"key\":\"JRA\u0000\"}}}", key, "JRA.?"));
        cases.add(Case.of("ext.raw-del-in-string", "{\"fields\":{\"project\":{\"key\":\"JRA\u007f\"}}}", key, "JRA.?"));
        cases.add(Case.of(
                "ext.raw-control-in-key",
                "{\"fields\":{\"project\":{\"k\u0001ey\":\"EVIL\",\"key\":\"JRA\"}}}",
                key,
                allowed));
        // Whitespace that is not JSON whitespace.
        cases.add(Case.of("ws.nbsp", "{\"fields\":{\"project\":{\"key\":\u00a0\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ws.form-feed", "{\"fields\":{\"project\":{\"key\":\f\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ws.vertical-tab", "{\"fields\":{\"project\":{\"key\":\u000b\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ws.nul", "{\"fields\":{\"project\":{\"key\":\u0000\"JRA\"}}}", key, allowed));
        cases.add(Case.of("ws.line-separator", "{\"fields\":{\"project\":{\"key\":\u2028\"JRA\"}}}", key, allowed));
        // Encodings: Jackson guesses UTF-16 and UTF-32 from the bytes and skips a UTF-8 BOM.
        String plain = "{\"fields\":{\"project\":{\"key\":\"JRA\"}}}";
        cases.add(Case.of("charset.utf8-bom", "\uFEFF" + plain, key, allowed));
        cases.add(Case.of("charset.utf8-bom-twice", "\uFEFF\uFEFF" + plain, key, allowed));
        cases.add(Case.of("charset.bom-inside", "{\uFEFF\"fields\":{\"project\":{\"key\":\"JRA\"}}}", key, allowed));
        cases.add(Case.of("charset.utf16be", plain, StandardCharsets.UTF_16BE, key, allowed));
        cases.add(Case.of("charset.utf16le", plain, StandardCharsets.UTF_16LE, key, allowed));
        cases.add(Case.of("charset.utf16-bom", plain, StandardCharsets.UTF_16, key, allowed));
        cases.add(Case.of("charset.utf32be", plain, Charset.forName("UTF-32BE"), key, allowed));
        cases.add(Case.of("charset.utf32le", plain, Charset.forName("UTF-32LE"), key, allowed));
        cases.add(Case.of(
                "charset.latin1-value",
                "{\"fields\":{\"project\":{\"key\":\"J\u00c4A\"}}}",
                StandardCharsets.ISO_8859_1,
                key,
                "J.A"));
        cases.add(Case.of("charset.utf8-value", "{\"fields\":{\"project\":{\"key\":\"J\u00c4A\"}}}", key, "J.A"));
        cases.add(
                Case.of("charset.utf8-astral", "{\"fields\":{\"project\":{\"key\":\"J\uD83D\uDE00A\"}}}", key, "J.A"));
        cases.add(new Case(
                "charset.overlong-quote",
                bytes("{\"fields\":{\"project\":{\"key\":\"JRA", 0xC0, 0xA2, "}}}"),
                key,
                "JRA.*"));
        cases.add(new Case(
                "charset.overlong-slash",
                bytes("{\"fields\":{\"project\":{\"key\":\"JRA", 0xC0, 0xAF, "\"}}}"),
                key,
                "JRA.*"));
        cases.add(new Case(
                "charset.cesu-surrogates",
                bytes("{\"fields\":{\"project\":{\"key\":\"J", 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80, "A\"}}}"),
                key,
                "J.*A"));
        cases.add(new Case(
                "charset.lone-continuation",
                bytes("{\"fields\":{\"project\":{\"key\":\"J", 0x80, "A\"}}}"),
                key,
                "J.*A"));
        cases.add(new Case(
                "charset.truncated-sequence",
                bytes("{\"fields\":{\"project\":{\"key\":\"J", 0xE2, 0x82, "A\"}}}"),
                key,
                "J.*A"));
        cases.add(new Case(
                "charset.five-byte",
                bytes("{\"fields\":{\"project\":{\"key\":\"J", 0xF8, 0x88, 0x80, 0x80, 0x80, "A\"}}}"),
                key,
                "J.*A"));
        cases.add(new Case(
                "charset.above-max",
                bytes("{\"fields\":{\"project\":{\"key\":\"J", 0xF4, 0x90, 0x80, 0x80, "A\"}}}"),
                key,
                "J.*A"));
        // Unicode escapes and surrogates.
        cases.add(Case.of("unicode.escaped-value", "{\"fields\":{\"project\":{\"key\":\"\\u004aRA\"}}}", key, allowed));
        cases.add(Case.of("unicode.lone-high", "{\"fields\":{\"project\":{\"key\":\"JRA\\ud800\"}}}", key, "JRA.?"));
        cases.add(Case.of("unicode.lone-low", "{\"fields\":{\"project\":{\"key\":\"JRA\\udc00\"}}}", key, "JRA.?"));
        cases.add(Case.of(
                "unicode.reversed-pair", "{\"fields\":{\"project\":{\"key\":\"JRA\\ude00\\ud83d\"}}}", key, "JRA.*"));
        cases.add(Case.of("unicode.pair", "{\"fields\":{\"project\":{\"key\":\"JRA\\ud83d\\ude00\"}}}", key, "JRA.?"));
        cases.add(Case.of("unicode.short-escape", "{\"fields\":{\"project\":{\"key\":\"JRA\\u41\"}}}", key, "JRA.*"));
        cases.add(Case.of("unicode.bad-hex", "{\"fields\":{\"project\":{\"key\":\"JRA\\u00g1\"}}}", key, "JRA.*"));
        cases.add(Case.of(
                "unicode.escaped-nul-value", "{\"fields\":{\"project\":{\"key\":\"JRA\\u0000\"}}}", key, "JRA.?"));
        cases.add(Case.of(
                "unicode.escaped-nul-value-front",
                "{\"fields\":{\"project\":{\"key\":\"\\u0000JRA\"}}}",
                key,
                ".?JRA"));
        cases.add(Case.of("unicode.escaped-slash", "{\"fields\":{\"project\":{\"key\":\"J\\/A\"}}}", key, "J/A"));
        cases.add(Case.of(
                "unicode.key-with-astral",
                "{\"fields\":{\"project\":{\"k\uD83D\uDE00\":\"EVIL\",\"key\":\"JRA\"}}}",
                key,
                allowed));
        // Numbers: the text as written against what a number reader makes of it.
        String id = "fields.priority.id";
        for (String number : List.of(
                "1",
                "1.0",
                "1e0",
                "1E0",
                "1e+0",
                "0.1e1",
                "10e-1",
                "-0",
                "-0.0",
                "0",
                "01",
                "+1",
                ".5",
                "1.",
                "0x10",
                "1e2",
                "100",
                "1e400",
                "-1e400",
                "1e-400",
                "NaN",
                "Infinity",
                "-Infinity",
                "9223372036854775808",
                "99999999999999999999999999999999",
                "1.00000000000000000001",
                "4.9e-324",
                "2147483648",
                "-2147483649",
                "1" + "0".repeat(999),
                "1" + "0".repeat(1000))) {
            cases.add(Case.of(
                    "number." + (number.length() > 30 ? number.length() + "-digits" : number),
                    "{\"fields\":{\"priority\":{\"id\":" + number + "}}}",
                    id,
                    "[0-9]+"));
            cases.add(Case.of(
                    "number-exact." + (number.length() > 30 ? number.length() + "-digits" : number),
                    "{\"fields\":{\"priority\":{\"id\":" + number + "}}}",
                    id,
                    "1"));
            cases.add(Case.of(
                    "number-any." + (number.length() > 30 ? number.length() + "-digits" : number),
                    "{\"fields\":{\"priority\":{\"id\":" + number + "}}}",
                    id,
                    "[-+0-9.eE]+"));
        }
        // Magnitudes a double cannot hold, under limits that say what they want in digits alone.
        cases.add(Case.of(
                "number-underflow.positive-fraction",
                "{\"fields\":{\"priority\":{\"id\":0." + "0".repeat(400) + "1}}}",
                id,
                "0\\.0*[1-9][0-9]*"));
        cases.add(Case.of(
                "number-overflow.decimal",
                "{\"fields\":{\"priority\":{\"id\":1" + "0".repeat(400) + ".5}}}",
                id,
                "[0-9]+\\.[0-9]+"));
        cases.add(Case.of(
                "number-underflow.negative-exponent",
                "{\"fields\":{\"priority\":{\"id\":5e-400}}}",
                id,
                "[1-9]e-[0-9]+"));
        // Literals and types.
        cases.add(Case.of("literal.true", "{\"editable\":true}", "editable", "false"));
        cases.add(Case.of("literal.false-string", "{\"editable\":\"false\"}", "editable", "false"));
        cases.add(Case.of("literal.False", "{\"editable\":False}", "editable", "(?i)false"));
        cases.add(Case.of("literal.fals", "{\"editable\":fals}", "editable", "fals.*"));
        cases.add(Case.of("literal.falsex", "{\"editable\":falsex}", "editable", "false.*"));
        cases.add(Case.of("literal.null", "{\"editable\":null}", "editable", "null"));
        cases.add(Case.of("literal.nul", "{\"editable\":nul}", "editable", "nul.*"));
        cases.add(Case.of(
                "type.string-looks-like-object",
                "{\"fields\":{\"project\":\"{\\\"key\\\":\\\"JRA\\\"}\"}}",
                "fields.project",
                "\\{\"key\":\"JRA\"\\}"));
        cases.add(Case.of(
                "type.object",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"}}}",
                "fields.project",
                "\\{\"key\":\"JRA\"\\}"));
        cases.add(Case.of(
                "type.object-spaced",
                "{\"fields\":{\"project\":{ \"key\" : \"JRA\" }}}",
                "fields.project",
                "\\{\"key\":\"JRA\"\\}"));
        cases.add(Case.of(
                "type.object-escaped",
                "{\"fields\":{\"project\":{\"\\u006bey\":\"\\u004aRA\"}}}",
                "fields.project",
                "\\{\"key\":\"JRA\"\\}"));
        cases.add(
                Case.of("type.array", "{\"fields\":{\"labels\":[\"a\",\"b\"]}}", "fields.labels", "\\[\"a\",\"b\"\\]"));
        cases.add(Case.of("type.array-index", "{\"fields\":{\"labels\":[\"a\",\"b\"]}}", "fields.labels.1", "b"));
        cases.add(Case.of(
                "type.array-index-leading-zero", "{\"fields\":{\"labels\":[\"a\",\"b\"]}}", "fields.labels.01", "b"));
        cases.add(Case.of(
                "type.object-numeric-key",
                "{\"fields\":{\"labels\":{\"1\":\"b\",\"01\":\"EVIL\"}}}",
                "fields.labels.1",
                "b"));
        cases.add(Case.of(
                "type.dotted-key",
                "{\"fields.project.key\":\"JRA\",\"fields\":{\"project\":{\"key\":\"EVIL\"}}}",
                key,
                allowed));
        // Nesting.
        cases.add(Case.of(
                "depth.255",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"}},\"x\":" + "[".repeat(252) + "]".repeat(252) + "}",
                key,
                allowed));
        cases.add(Case.of(
                "depth.256",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"}},\"x\":" + "[".repeat(255) + "]".repeat(255) + "}",
                key,
                allowed));
        cases.add(Case.of(
                "depth.257",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"}},\"x\":" + "[".repeat(256) + "]".repeat(256) + "}",
                key,
                allowed));
        cases.add(Case.of(
                "depth.2000",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"}},\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
                key,
                allowed));
        cases.add(Case.of(
                "depth.unbalanced",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"}},\"x\":" + "[".repeat(20) + "}",
                key,
                allowed));
        cases.add(Case.of(
                "size.long-string",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"d\":\"" + "x".repeat(200_000) + "\"}}",
                key,
                allowed));
        cases.add(Case.of(
                "size.many-keys", "{\"fields\":{\"project\":{\"key\":\"JRA\"}" + manyKeys(5000) + "}}", key, allowed));
        // Roots and emptiness.
        cases.add(Case.of(
                "root.array", "[{\"fields\":{\"project\":{\"key\":\"JRA\"}}}]", "0.fields.project.key", allowed));
        cases.add(Case.of("root.string", "\"JRA\"", key, allowed));
        cases.add(Case.of("root.empty-object", "{}", key, ".*"));
        cases.add(Case.of("root.whitespace", " \n", key, ".*"));
        cases.add(Case.of("control.allowed", plain, key, allowed));
        cases.add(Case.of("control.denied", "{\"fields\":{\"project\":{\"key\":\"EVIL\"}}}", key, allowed));
        return cases;
    }

    /**
     * Keys holding U+0000. Jackson 1.9 reading bytes packs a name into 32-bit words without marking
     * its length, so a zero byte inside the last word vanishes: {@code "k\u0000ey"} is read as
     * {@code "key"} once {@code "key"} is in its symbol table.
     */
    private static List<Case> nulInKeys() {
        List<Case> cases = new ArrayList<>();
        for (String name : List.of("key", "summary", "project", "fields", "a", "abcd", "abcde", "editable")) {
            for (int at = 0; at <= name.length(); at++) {
                String nul = name.substring(0, at) + "\\u0000" + name.substring(at);
                String raw = name.substring(0, at) + "\u0000" + name.substring(at);
                cases.add(Case.of(
                        "nul-key." + name + "." + at + ".after",
                        "{\"" + name + "\":\"JRA\",\"" + nul + "\":\"EVIL\"}",
                        name,
                        "JRA"));
                cases.add(Case.of(
                        "nul-key." + name + "." + at + ".before",
                        "{\"" + nul + "\":\"EVIL\",\"" + name + "\":\"JRA\"}",
                        name,
                        "JRA"));
                cases.add(Case.of(
                        "nul-key." + name + "." + at + ".raw",
                        "{\"" + name + "\":\"JRA\",\"" + raw + "\":\"EVIL\"}",
                        name,
                        "JRA"));
            }
        }
        cases.add(Case.of(
                "nul-key.parent",
                "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"proj\\u0000ect\":{\"key\":\"EVIL\"}}}",
                "fields.project.key",
                "JRA"));
        cases.add(Case.of("nul-key.two-nuls", "{\"key\":\"JRA\",\"k\\u0000\\u0000ey\":\"EVIL\"}", "key", "JRA"));
        cases.add(Case.of(
                "nul-key.nested-in-array",
                "{\"key\":\"JRA\",\"list\":[{\"key\":\"x\",\"\\u0000key\":\"y\"}]}",
                "key",
                "JRA"));
        return cases;
    }

    /** Keys spelled with escapes, against the same key written plainly. */
    private static List<Case> escapedKeys() {
        List<Case> cases = new ArrayList<>();
        String name = "summary";
        for (int at = 0; at < name.length(); at++) {
            String escaped =
                    name.substring(0, at) + String.format("\\u%04x", (int) name.charAt(at)) + name.substring(at + 1);
            cases.add(Case.of(
                    "escaped-key." + at + ".after", "{\"summary\":\"ok\",\"" + escaped + "\":\"EVIL\"}", name, "ok"));
            cases.add(Case.of("escaped-key." + at + ".alone", "{\"" + escaped + "\":\"EVIL\"}", name, "ok"));
            cases.add(Case.of(
                    "escaped-key." + at + ".upper",
                    "{\"summary\":\"ok\",\""
                            + escaped.toUpperCase(java.util.Locale.ROOT).replace("\\U", "\\u") + "\":\"EVIL\"}",
                    name,
                    "ok"));
        }
        cases.add(Case.of("escaped-key.ascii-lookalike", "{\"summary\":\"ok\",\"summ\u0430ry\":\"EVIL\"}", name, "ok"));
        cases.add(Case.of("escaped-key.fullwidth", "{\"summary\":\"ok\",\"\uFF53ummary\":\"EVIL\"}", name, "ok"));
        cases.add(Case.of("escaped-key.combining", "{\"summary\":\"ok\",\"summary\u0301\":\"EVIL\"}", name, "ok"));
        cases.add(Case.of("escaped-key.zero-width", "{\"summary\":\"ok\",\"summ\u200bary\":\"EVIL\"}", name, "ok"));
        return cases;
    }

    /**
     * An allowed body with hostile fragments put in at random places: most break the JSON, some
     * make a body the gateway and a parser might read differently.
     */
    private static List<Case> mutations(Random random, int count) {
        String base = "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"summary\":\"ok\",\"labels\":[\"a\",1,true,null]}}";
        List<String> fragments = List.of(
                ",\"key\":\"EVIL\"",
                ",\"\\u006bey\":\"EVIL\"",
                ",\"k\\u0000ey\":\"EVIL\"",
                ",\"\\u0000key\":\"EVIL\"",
                ",\"key\\u0000\":\"EVIL\"",
                "/**/",
                "//\n",
                "#\n",
                ",",
                "\u0000",
                "\uFEFF",
                "\\",
                "\"",
                "'",
                "{",
                "}",
                "[",
                "]",
                ":",
                "\\u0000",
                "\\ud800",
                "}{\"fields\":{\"project\":{\"key\":\"EVIL\"}}}",
                " ",
                "\t",
                "\f",
                "\u00a0",
                "1e2",
                "NaN",
                "-",
                "\"key\":\"EVIL\",",
                "\"project\":{\"key\":\"EVIL\"},",
                "\"fields\":{\"project\":{\"key\":\"EVIL\"}},");
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder body = new StringBuilder(base);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(body.length() + 1);
                if (random.nextInt(5) == 0 && at < body.length()) {
                    body.deleteCharAt(at);
                } else {
                    body.insert(at, fragments.get(random.nextInt(fragments.size())));
                }
            }
            cases.add(Case.of("mutation." + i, body.toString(), "fields.project.key", "JRA"));
        }
        return cases;
    }

    private static String manyKeys(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(",\"k").append(i).append("\":").append(i);
        }
        return out.toString();
    }

    /** Text and raw bytes (given as ints), concatenated as UTF-8. */
    private static byte[] bytes(Object... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }
}
