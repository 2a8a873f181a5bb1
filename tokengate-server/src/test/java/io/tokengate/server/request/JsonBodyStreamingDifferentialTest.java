package io.tokengate.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader finds what the tree it replaced found ({@link TreeJsonBody}): for generated
 * bodies, mostly broken, from pieces chosen for the ways a body can be refused (bad escapes,
 * control characters, NUL in keys, duplicate keys, numbers out of a double's range, comments,
 * content after the value), every path looked up gives the same node, the same "missing" or the
 * same reason, whether the body was read for that path alone or for all of them at once.
 * Reproducible: {@code -Dtokengate.fuzz.seed=N} picks other bodies.
 */
class JsonBodyStreamingDifferentialTest {
    private static final long SEED = Long.getLong("tokengate.fuzz.seed", 20261202L);
    private static final int BODIES = 5_000;

    private static final List<String> PIECES = List.of(
            "{",
            "}",
            "[",
            "]",
            "\"a\"",
            "\"b\"",
            "\"0\"",
            ":",
            ",",
            "1",
            "0",
            "-0",
            "1e400",
            "1.5",
            "true",
            "null",
            "\"x\\q\"",
            "\"x\\u00\"",
            "\"\u0001\"",
            "\"\\u0000\"",
            "\"a\\u0000\"",
            "\"\\ud800\"",
            " ",
            "\"\"",
            "01",
            "NaN",
            "\"\\\"\"",
            "\"é\"",
            "/*c*/",
            "{\"a\":",
            "[1,",
            "\"a\":{",
            "\"b\":[");
    /** A well-formed start, so that many bodies hold nodes to find. */
    private static final String START = "{\"a\":{\"b\":[1,{\"a\":2}],\"0\":\"s\"},\"b\":[true,null,\"x\"]";

    private static final List<JsonPath> PATHS =
            List.of("a", "b", "0", "a.b", "a.0", "b.0", "a.a", "0.a", "1", "/", "a.b.0", "a.b.1", "b.2").stream()
                    .map(JsonPath::parse)
                    .toList();

    @Test
    void everyPathFindsWhatTheTreeFound() {
        Random random = new Random(SEED);
        List<String> disagreements = new ArrayList<>();
        int found = 0;
        for (int n = 0; n < BODIES; n++) {
            String text = body(random);
            // Every tenth also past the size decoded at once, read as it is decoded: after blanks.
            for (String body :
                    n % 10 == 0 ? List.of(text, " ".repeat(JsonBody.DECODED_AT_ONCE) + text) : List.of(text)) {
                found += compare(body.getBytes(StandardCharsets.UTF_8), disagreements);
            }
        }
        assertThat(disagreements).as("seed " + SEED).isEmpty();
        assertThat(found).as("lookups that found a node").isGreaterThan(BODIES / 2);
    }

    /** Adds what the readers disagree on about {@code body}; returns how many lookups found a node. */
    private static int compare(byte[] body, List<String> disagreements) {
        TreeJsonBody tree = TreeJsonBody.parse(body);
        JsonBody together = JsonBody.parse(body, PATHS);
        int found = 0;
        for (JsonPath path : PATHS) {
            JsonLookup expected = tree.lookup(path);
            JsonLookup alone = JsonBody.parse(body, List.of(path)).lookup(path);
            if (!expected.equals(alone) || !expected.equals(together.lookup(path))) {
                disagreements.add(new String(body, StandardCharsets.UTF_8).strip() + " (" + body.length + " bytes) at "
                        + path + ": tree " + expected + ", alone " + alone + ", together " + together.lookup(path));
            }
            found += expected instanceof JsonLookup.Found ? 1 : 0;
        }
        return found;
    }

    private static String body(Random random) {
        boolean start = random.nextBoolean();
        StringBuilder body = new StringBuilder(start ? START : "");
        for (int i = random.nextInt(4) == 0 ? 0 : random.nextInt(12); i > 0; i--) {
            body.append(PIECES.get(random.nextInt(PIECES.size())));
        }
        if (start || random.nextBoolean()) {
            long open = body.chars().filter(c -> c == '{').count()
                    - body.chars().filter(c -> c == '}').count();
            body.append("}".repeat((int) Math.max(0, open)));
        }
        return body.toString();
    }
}
