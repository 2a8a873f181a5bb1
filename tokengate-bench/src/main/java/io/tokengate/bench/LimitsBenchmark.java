package io.tokengate.bench;

import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.limits.Regex;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.SampleRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one decision for limits of 10 to 1000 rules, in the shapes an administrator writes:
 * methods, URL regexes and query-parameter conditions. Sequentially, the request that is allowed
 * by the last rule and the request that is denied make every rule run, the worst case; the
 * request allowed by the first rule is the best case.
 *
 * <p>{@code shape}: {@code cycle} repeats four rule shapes, one project per rule; {@code mixed}
 * repeats a block of 20 varied rules (issues, comments, worklogs, projects, boards, search with
 * {@code QueryParam} conditions) per project, and ends with a {@code QueryParam} rule. {@code
 * engine}: {@code dfa} is the default matcher, {@code re2j} the RE2/J-only baseline (rule after
 * rule, as before the DFA), measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LimitsBenchmark {
    static final String GATEWAY = "https://jira.example.com";

    @Param({"10", "20", "100", "1000"})
    int rules;

    @Param({"cycle", "mixed"})
    String shape;

    @Param({"dfa", "re2j"})
    String engine;

    private Limits limits;
    private GatewayRequestView first;
    private GatewayRequestView last;
    private GatewayRequestView denied;

    /** {@code count} rules cycling through four realistic shapes; rule i names project P{i}. */
    static String limitsText(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            switch (i % 4) {
                case 0 -> lines.add("[GET].*/rest/api/2/issue/P" + i + "-\\d+");
                case 1 -> lines.add("[POST].*/rest/api/2/issue/P" + i + "-\\d+/comment");
                case 2 -> lines.add(".*/rest/api/2/search[QueryParam::jql==project = P" + i + "( .*)?]");
                default -> lines.add("[GET|HEAD].*/rest/extender/1.0/worklog/user/u" + i
                        + "[QueryParam::dateFrom==\\d{4}-\\d{2}-\\d{2}]");
            }
        }
        return String.join("\n", lines);
    }

    /**
     * Rules of the {@code mixed} shape for one project ({@code %1$s}); a request allowed by rule i
     * is not allowed by any earlier rule of the block.
     */
    private static final List<String> MIXED = List.of(
            "[GET].*/rest/api/2/issue/%1$s-\\d+",
            "[GET|HEAD].*/rest/api/2/issue/%1$s-\\d+/comment",
            "[POST].*/rest/api/2/issue/%1$s-\\d+/comment",
            "[PUT].*/rest/api/2/issue/%1$s-\\d+",
            "[GET].*/rest/api/2/issue/%1$s-\\d+/(worklog|watchers|votes)",
            "[POST].*/rest/api/2/issue/%1$s-\\d+/worklog",
            "[GET].*/rest/api/2/project/%1$s",
            "[GET].*/rest/api/2/project/%1$s/(components|versions|statuses)",
            "[GET].*/rest/api/2/search[QueryParam::jql==project\\s*=\\s*%1$s( .*)?]",
            "[GET].*/rest/agile/1.0/board/\\d+/issue[QueryParam::jql==project = %1$s.*]",
            "[GET|HEAD].*/rest/api/2/attachment/%1$s\\d+",
            "[GET].*/rest/api/2/issue/%1$s-\\d+/transitions",
            "[POST].*/rest/api/2/issue/%1$s-\\d+/transitions",
            ".*/rest/extender/1.0/worklog/user/[a-z][a-z0-9._-]*[QueryParam::project==%1$s][QueryParam::dateFrom==\\d{4}-\\d{2}-\\d{2}]",
            "[GET].*/rest/api/2/filter/%1$s\\d+",
            "[GET].*/rest/api/2/version/%1$s-[0-9.]+",
            "[GET].*/rest/api/2/component/%1$s-\\d+",
            "[DELETE].*/rest/api/2/issue/%1$s-\\d+/votes",
            "[GET].*/rest/api/2/issue/%1$s-\\d+/remotelink(/\\d+)?",
            "[GET|POST].*/rest/api/2/search[QueryParam::jql==project = %1$s AND assignee = currentUser\\(\\)( ORDER BY [a-z]+)?]");

    /**
     * {@code count} rules of the {@code mixed} shape: rule i follows pattern i % 20 with project
     * Q{i/20}, except that the last rule is always the last pattern (a {@code QueryParam} rule).
     */
    static String mixedText(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(String.format(MIXED.get(mixedPattern(i, count)), "Q" + i / MIXED.size()));
        }
        return String.join("\n", lines);
    }

    private static int mixedPattern(int index, int count) {
        return index == count - 1 ? MIXED.size() - 1 : index % MIXED.size();
    }

    /** A request that rule {@code index} of {@link #mixedText}{@code (count)} allows: its first or last rule. */
    static GatewayRequestView mixedAllowedBy(int index, int count) {
        String project = "Q" + index / MIXED.size();
        if (index == 0) {
            return SampleRequest.of("GET", GATEWAY + "/rest/api/2/issue/" + project + "-17", null, List.of());
        }
        if (index == count - 1) {
            return SampleRequest.of(
                    "POST",
                    GATEWAY + "/rest/api/2/search?jql=project+%3D+" + project
                            + "+AND+assignee+%3D+currentUser%28%29+ORDER+BY+created",
                    null,
                    List.of());
        }
        throw new IllegalArgumentException("no sample request for rule " + index);
    }

    /** A request that the rule at {@code index} of {@link #limitsText} allows. */
    static GatewayRequestView allowedBy(int index) {
        return switch (index % 4) {
            case 0 -> SampleRequest.of("GET", GATEWAY + "/rest/api/2/issue/P" + index + "-17", null, List.of());
            case 1 -> SampleRequest.of(
                    "POST", GATEWAY + "/rest/api/2/issue/P" + index + "-17/comment", null, List.of());
            case 2 -> SampleRequest.of(
                    "GET", GATEWAY + "/rest/api/2/search?jql=project+%3D+P" + index, null, List.of());
            default -> SampleRequest.of(
                    "GET",
                    GATEWAY + "/rest/extender/1.0/worklog/user/u" + index + "?dateFrom=2026-01-01",
                    null,
                    List.of());
        };
    }

    @Setup
    public void setUp() {
        System.setProperty(Regex.ENGINE_PROPERTY, engine);
        limits = LimitsParser.parse(text(shape, rules));
        first = request(0);
        last = request(rules - 1);
        denied = SampleRequest.of("DELETE", GATEWAY + "/rest/api/2/issue/P0-17", null, List.of());
        check(limits.evaluate(first), 1);
        check(limits.evaluate(last), rules);
        check(limits.evaluate(denied), 0);
    }

    /** A request allowed by the rule at {@code index} of this shape. */
    private GatewayRequestView request(int index) {
        return allowedBy(shape, index, rules);
    }

    /** The limits text of {@code count} rules of {@code shape}: {@code cycle} or {@code mixed}. */
    static String text(String shape, int count) {
        return shape.equals("mixed") ? mixedText(count) : limitsText(count);
    }

    /** The project keys that {@link #text}{@code (shape, count)} names, each once, in rule order. */
    static List<String> projects(String shape, int count) {
        List<String> keys = new ArrayList<>();
        if (shape.equals("mixed")) {
            for (int i = 0; i < count; i += MIXED.size()) {
                keys.add("Q" + i / MIXED.size());
            }
        } else {
            for (int i = 0; i < count; i++) {
                keys.add("P" + i);
            }
        }
        return keys;
    }

    /** A request allowed by the rule at {@code index} (the first or, for {@code mixed}, the last) of {@link #text}. */
    static GatewayRequestView allowedBy(String shape, int index, int count) {
        return shape.equals("mixed") ? mixedAllowedBy(index, count) : allowedBy(index);
    }

    /** The decision must be by rule {@code number}, or a denial when it is 0. */
    static void check(Decision decision, int number) {
        int actual = decision.rule().map(r -> r.number()).orElse(0);
        if (actual != number || decision.allowed() != (number > 0)) {
            throw new IllegalStateException(
                    "benchmark setup is wrong: expected rule " + number + ", " + decision.reason());
        }
    }

    @Benchmark
    public Decision allowedByFirstRule() {
        return limits.evaluate(first);
    }

    @Benchmark
    public Decision allowedByLastRule() {
        return limits.evaluate(last);
    }

    /** Denials also build the explanation of every rule. */
    @Benchmark
    public Decision denied() {
        return limits.evaluate(denied);
    }

    /** What the data plane pays per request: canonicalize path and query, then decide. */
    @Benchmark
    public Decision canonicalizeAndDecideLastRule() {
        return limits.evaluate(request(rules - 1));
    }
}
