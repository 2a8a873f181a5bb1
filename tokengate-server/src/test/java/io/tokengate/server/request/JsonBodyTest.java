package io.tokengate.server.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyTest {
    private static final String ISSUE =
            """
            {"fields": {"project": {"key": "JRA"}, "summary": "Crash \\"on\\" start",
                        "labels": ["ci", "nightly"], "priority": null, "estimate": 1.50,
                        "big": 1e2, "neg": -0, "flag": true, "a.b": "dotted", "sl/ash": 1, "ti~lde": 2,
                        "empty": {}, "list": [], "nested": {"x": [1, {"y": "z"}], "u": "ü\\u00e9"}},
             "0": "zero-key", "": "empty-key"}""";

    private static JsonLookup lookup(String body, String path) {
        return parse(body.getBytes(StandardCharsets.UTF_8), path).lookup(JsonPath.parse(path));
    }

    /** The body read for {@code path}, as the gateway reads it for a limit that asks about it alone. */
    private static JsonBody parse(byte[] body, String path) {
        return JsonBody.parse(body, List.of(JsonPath.parse(path)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '`',
            value = {
                "fields.project.key => JRA",
                "/fields/project/key => JRA",
                "fields.summary => `Crash \"on\" start`",
                "fields.labels.0 => ci",
                "fields.labels.1 => nightly",
                "/fields/labels/1 => nightly",
                "fields.priority => null",
                "fields.estimate => 1.50",
                "fields.big => 1e2",
                "fields.neg => -0",
                "fields.flag => true",
                "fields.labels => `[\"ci\",\"nightly\"]`",
                "fields.project => `{\"key\":\"JRA\"}`",
                "fields.empty => {}",
                "fields.list => []",
                "fields.nested => `{\"x\":[1,{\"y\":\"z\"}],\"u\":\"üé\"}`",
                "fields.nested.x.1.y => z",
                "/fields/a.b => dotted",
                "/fields/sl~1ash => 1",
                "/fields/ti~0lde => 2",
                "0 => zero-key",
                "/ => empty-key",
            })
    void nodesMatchAsTheirText(String path, String text) {
        assertThat(lookup(ISSUE, path)).isEqualTo(JsonLookup.found(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "missing",
                "fields.missing",
                "fields.labels.2",
                "fields.labels.01",
                "fields.labels.-1",
                "fields.project.key.deeper",
                "fields.a.b",
                "/fields/labels/x"
            })
    void missingNodes(String path) {
        assertThat(lookup(ISSUE, path)).isEqualTo(JsonLookup.missing());
    }

    @Test
    void theWholeDocumentIsAddressedFromItsRootWhichMayBeAnArray() {
        assertThat(lookup("[{\"a\":1},{\"a\":2}]", "1.a")).isEqualTo(JsonLookup.found("2"));
        assertThat(lookup("\"just a string\"", "a")).isEqualTo(JsonLookup.missing());
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '`',
            value = {
                "`{\"editable\":false,\"editable\":true}` => the body has a duplicate key 'editable'",
                "`{\"a\":{\"b\":1,\"b\":1}}` => the body has a duplicate key 'b'",
                "`[{\"x\":1},{\"y\":2,\"y\":3}]` => the body has a duplicate key 'y'",
                "`{\"editable\":false}{\"editable\":true}` => the body is not JSON (content after the value)",
                "`{\"editable\":false,\"edit\\u0000able\":true}` => the body has a key with a NUL character"
                        + " 'edit\\u0000able', which Jira may read as another key",
                "`{\"a\":{\"\\u0000\":1}}` => the body has a key with a NUL character '\\u0000', which Jira may"
                        + " read as another key",
                "`{\"a\":1e400}` => the body has a number '1e400' that Jira reads as infinity or 0",
                "`{\"a\":[-1.5E+309]}` => the body has a number '-1.5E+309' that Jira reads as infinity or 0",
                "`{\"a\":1e-400}` => the body has a number '1e-400' that Jira reads as infinity or 0",
                "`{\"editable\":false} x` => the body is not JSON (content after the value)",
                "`{\"editable\":false` => the body is not JSON",
                "`{'editable':false}` => the body is not JSON",
                "`{\"a\":NaN}` => the body is not JSON",
                "`{\"a\":01}` => the body is not JSON",
                "`{\"a\":1,}` => the body is not JSON",
                "`/* c */ {\"a\":1}` => the body is not JSON",
                "`editable=false` => the body is not JSON",
                "`   ` => the body is not JSON (empty)",
            })
    void bodiesThatCannotBeReadOneWayOnlyMatchNothing(String body, String reason) {
        assertThat(lookup(body, "editable")).isEqualTo(JsonLookup.unusable(reason));
        assertThat(parse(body.getBytes(StandardCharsets.UTF_8), "editable").isJson())
                .isFalse();
    }

    @Test
    void numbersWhoseMagnitudeADoubleCannotHoldMatchNothing() {
        for (String number : List.of("1" + "0".repeat(400), "-0." + "0".repeat(400) + "1", "1e400", "-2e-400")) {
            assertThat(lookup("{\"a\":" + number + "}", "a"))
                    .as(number)
                    .isInstanceOfSatisfying(JsonLookup.Unusable.class, unusable -> assertThat(unusable.reason())
                            .endsWith("that Jira reads as infinity or 0"));
        }
        for (String number : List.of("0.0e-400", "-0", "4.9e-324", "1.7976931348623157e308", "0." + "0".repeat(300))) {
            assertThat(lookup("{\"a\":" + number + "}", "a")).as(number).isEqualTo(JsonLookup.found(number));
        }
    }

    @Test
    void severalPathsReadAtOnceFindWhatEachFindsAlone() {
        List<String> paths = List.of(
                "fields",
                "fields.nested",
                "fields.nested.x",
                "fields.nested.x.1.y",
                "fields.labels",
                "fields.labels.1",
                "/fields/a.b",
                "fields.project.key",
                "fields.empty",
                "fields.list",
                "fields.summary",
                "fields.missing",
                "fields.labels.2",
                "0",
                "/");
        JsonBody together = JsonBody.parse(
                ISSUE.getBytes(StandardCharsets.UTF_8),
                paths.stream().map(JsonPath::parse).toList());
        for (String path : paths) {
            assertThat(together.lookup(JsonPath.parse(path))).as(path).isEqualTo(lookup(ISSUE, path));
        }
        assertThat(together.lookup(JsonPath.parse("fields.nested.x"))).isEqualTo(JsonLookup.found("[1,{\"y\":\"z\"}]"));
    }

    /** More paths below one object than are looked through one by one: they are found by name. */
    @Test
    void manyPathsBelowOneObjectFindWhatEachFindsAlone() {
        List<String> paths = List.of(
                "fields.project",
                "fields.summary",
                "fields.labels",
                "fields.priority",
                "fields.estimate",
                "fields.big",
                "fields.neg",
                "fields.flag",
                "/fields/a.b",
                "/fields/sl~1ash",
                "/fields/ti~0lde",
                "fields.empty",
                "fields.list",
                "fields.nested",
                "fields.missing",
                "fields.labels.0",
                "fields.labels.1",
                "fields.labels.2",
                "fields.labels.3",
                "fields.labels.4",
                "fields.labels.5",
                "fields.labels.6",
                "fields.labels.7",
                "fields.labels.8");
        JsonBody together = JsonBody.parse(
                ISSUE.getBytes(StandardCharsets.UTF_8),
                paths.stream().map(JsonPath::parse).toList());
        for (String path : paths) {
            assertThat(together.lookup(JsonPath.parse(path))).as(path).isEqualTo(lookup(ISSUE, path));
        }
        assertThat(together.lookup(JsonPath.parse("/fields/ti~0lde"))).isEqualTo(JsonLookup.found("2"));
        assertThatThrownBy(() -> together.lookup(JsonPath.parse("fields.other")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPathTheBodyWasNotReadForIsAMistakeNotAMatch() {
        JsonBody body = parse("{\"a\":1,\"b\":2}".getBytes(StandardCharsets.UTF_8), "a");
        assertThatThrownBy(() -> body.lookup(JsonPath.parse("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not read for the JSON path b");
    }

    /**
     * Only what the limits ask about is kept: a megabyte of small values, which as a tree took 45
     * MB (seven such bodies at once ran a 128 MiB gateway out of memory), streams by in a few
     * buffers. What is allocated bounds what is held.
     */
    @Test
    void aBodyOfManySmallValuesIsReadWithoutATreeOfThem() {
        byte[] body = ("[" + "1,".repeat(512 * 1024 - 1) + "1]").getBytes(StandardCharsets.UTF_8);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        JsonBody read = JsonBody.parse(body, List.of(JsonPath.parse("7")));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(read.lookup(JsonPath.parse("7"))).isEqualTo(JsonLookup.found("1"));
        assertThat(allocated).as("bytes allocated reading %d", body.length).isLessThan(body.length / 4);
    }

    @Test
    void absentAndEmptyBodies() {
        assertThat(JsonBody.absent().lookup(JsonPath.parse("a")))
                .isEqualTo(JsonLookup.unusable("the request has no body"));
        assertThat(parse(new byte[0], "a").lookup(JsonPath.parse("a")))
                .isEqualTo(JsonLookup.unusable("the request has no body"));
    }

    @Test
    void nestingIsBoundedSoHostileBodiesCannotExhaustTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(lookup(deep, "0")).isEqualTo(JsonLookup.unusable("the body is not JSON"));
        String allowed = "[".repeat(JsonBody.MAX_DEPTH) + "]".repeat(JsonBody.MAX_DEPTH);
        assertThat(parse(allowed.getBytes(StandardCharsets.UTF_8), "0").isJson())
                .isTrue();
    }

    @Test
    void invalidUtf8IsNotJson() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(parse(body, "a").lookup(JsonPath.parse("a"))).isInstanceOf(JsonLookup.Unusable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
    void onlyUtf8IsReadSoAnUpstreamReadingUtf8CannotSeeAnotherDocument(String charset) {
        byte[] body = "{\"editable\":false}".getBytes(java.nio.charset.Charset.forName(charset));
        assertThat(parse(body, "editable").isJson()).isFalse();
        assertThat(parse(body, "editable").lookup(JsonPath.parse("editable"))).isInstanceOf(JsonLookup.Unusable.class);
    }

    @Test
    void aByteOrderMarkIsNotSkipped() {
        byte[] body = "\uFEFF{\"editable\":false}".getBytes(StandardCharsets.UTF_8);
        assertThat(parse(body, "editable").isJson()).isFalse();
    }
}
