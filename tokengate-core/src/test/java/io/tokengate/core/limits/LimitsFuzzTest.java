package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tokengate.core.request.JsonLookup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the limits parser with text built from the grammar's own pieces and with mutations of
 * the seed examples, checking the parser's contract on every input:
 *
 * <ul>
 *   <li>it returns limits or throws {@link LimitsSyntaxException}, never anything else;
 *   <li>every problem is located inside the input;
 *   <li>accepted limits print a canonical form that parses back to equal limits and prints the
 *       same again;
 *   <li>evaluating accepted limits never throws.
 * </ul>
 *
 * <p>Runs are reproducible: the seed is fixed unless {@code -Dtokengate.fuzz.seed=N} is given, and
 * {@code -Dtokengate.fuzz.runs=N} runs longer. A failing input is written to {@code
 * target/limits-crashes/}; copy it into {@code src/test/resources/limits-corpus/} so that it is
 * replayed by {@link #savedInputsKeepTheContract} forever after.
 */
class LimitsFuzzTest {
    private static final Path CORPUS = Path.of("src/test/resources/limits-corpus");
    private static final Path CRASHES = Path.of("target/limits-crashes");

    private static final List<String> SEEDS = List.of(
            ".*/rest/api/2/issue/JRA.*",
            "[post].*/rest/api/2/issue/KANBAN-100/comment.*",
            ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]",
            ".*rest/extender/1.0/worklog/user/.*[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]",
            ".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]",
            "[GET|HEAD].*/rest/api/2/search[QueryParam::jql==(?i)project\\s*=\\s*JRA.*]",
            ".*/x[JsonData::/fields/labels/0==[a-z]{1,8}]");

    private static final List<String> PIECES = List.of(
            "[",
            "]",
            "[GET]",
            "[post|put]",
            "[get,delete]",
            "[pots]",
            "[QueryParam::",
            "[JsonData::",
            "[Header::",
            "==",
            "::",
            ".*",
            "/rest/api/2/",
            "issue/",
            "JRA-\\d+",
            "[a-z]+",
            "[^/]*",
            "(?i)",
            "(",
            ")",
            "(?=",
            "\\",
            "\\]",
            "\\1",
            "{",
            "}",
            "{2,5}",
            "{1000}",
            "|",
            "?",
            "+",
            "*",
            "*+",
            "#",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\u0000",
            "ü",
            "😀",
            "\uD800",
            "a.b",
            "/a~1b",
            "~",
            "0",
            "permissions",
            "true",
            "editable",
            "$",
            "^",
            "[[:alpha:]]",
            "\\pL",
            "\\Q",
            "\\E",
            "(?P<n>x)");

    private static final List<Request> REQUESTS = List.of(
            Request.get("/rest/api/2/issue/JRA-1"),
            Request.post("/rest/api/2/issue/KANBAN-100/comment"),
            Request.get("/rest/extender/1.0/filter/user/admin?permissions=true&permissions=false"),
            Request.of("PUT", "/rest/api/2/filter?a=1").withJson(Map.of("editable", "false", "favourite", "false")),
            Request.post("/x").withJson(p -> JsonLookup.unusable("not JSON")),
            Request.post("/x").withJson(p -> {
                throw new IllegalStateException("hostile view");
            }));

    @Test
    void generatedLimitsKeepTheParsersContract() throws IOException {
        long seed = Long.getLong("tokengate.fuzz.seed", 20261128L);
        int runs = Integer.getInteger("tokengate.fuzz.runs", 20_000);
        SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        for (int i = 0; i < runs; i++) {
            String input = random.nextInt(3) == 0 ? mutate(random) : generate(random);
            try {
                accepted += checkContract(input) ? 1 : 0;
            } catch (AssertionError | RuntimeException e) {
                Files.createDirectories(CRASHES);
                Path saved = CRASHES.resolve("crash-" + seed + "-" + i + ".txt");
                Files.writeString(saved, input, StandardCharsets.UTF_8);
                fail("contract broken for input saved as " + saved + " (seed " + seed + ", run " + i + ")", e);
            }
        }
        // Both paths must be exercised, or the fuzzer only tests the error path.
        assertThat(accepted).isBetween(runs / 20, runs - runs / 20);
    }

    static Stream<Path> savedInputs() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("savedInputs")
    void savedInputsKeepTheContract(Path input) throws IOException {
        checkContract(Files.readString(input, StandardCharsets.UTF_8));
    }

    /** Returns whether the input was accepted; fails if the contract is broken. */
    private static boolean checkContract(String input) {
        Limits limits;
        try {
            limits = LimitsParser.parse(input);
        } catch (LimitsSyntaxException e) {
            String[] lines = input.split("\n", -1);
            assertThat(e.problems()).isNotEmpty();
            for (LimitsProblem problem : e.problems()) {
                assertThat(problem.line()).isBetween(1, lines.length);
                assertThat(problem.column()).isBetween(1, lines[problem.line() - 1].length() + 1);
                assertThat(problem.reason()).isNotBlank();
            }
            return false;
        }
        String canonical = limits.toString();
        Limits reparsed = LimitsParser.parse(canonical);
        assertThat(reparsed).isEqualTo(limits);
        assertThat(reparsed.toString()).isEqualTo(canonical);
        for (Request request : REQUESTS) {
            Decision decision = limits.evaluate(request);
            assertThat(decision.reason()).isNotBlank();
            limits.needsBody(request);
            decision.explain();
        }
        return true;
    }

    private static String generate(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        int lines = 1 + random.nextInt(3);
        for (int l = 0; l < lines; l++) {
            if (random.nextInt(4) == 0) {
                out.append(SEEDS.get(random.nextInt(SEEDS.size())));
            }
            int pieces = random.nextInt(8);
            for (int p = 0; p < pieces; p++) {
                out.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            if (random.nextBoolean()) {
                out.append(SEEDS.get(random.nextInt(SEEDS.size())));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String mutate(SplittableRandom random) {
        StringBuilder out = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, PIECES.get(random.nextInt(PIECES.size())));
                default -> out.setCharAt(at, (char) random.nextInt(0x20, 0x7f));
            }
        }
        return out.toString();
    }
}
