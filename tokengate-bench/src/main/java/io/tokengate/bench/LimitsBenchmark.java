package io.tokengate.bench;

import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
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
 * methods, URL regexes and query-parameter conditions. The request that is allowed by the last
 * rule and the request that is denied both make every rule run, the worst case; the request
 * allowed by the first rule is the best case.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LimitsBenchmark {
    private static final String GATEWAY = "https://jira.example.com";

    @Param({"10", "20", "100", "1000"})
    int rules;

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

    /** A request that the rule at {@code index} of {@link #limitsText} allows. */
    static GatewayRequestView allowedBy(int index) {
        return switch (index % 4) {
            case 0 -> SampleRequest.of("GET", GATEWAY + "/rest/api/2/issue/P" + index + "-17", null);
            case 1 -> SampleRequest.of("POST", GATEWAY + "/rest/api/2/issue/P" + index + "-17/comment", null);
            case 2 -> SampleRequest.of("GET", GATEWAY + "/rest/api/2/search?jql=project+%3D+P" + index, null);
            default -> SampleRequest.of(
                    "GET", GATEWAY + "/rest/extender/1.0/worklog/user/u" + index + "?dateFrom=2026-01-01", null);
        };
    }

    @Setup
    public void setUp() {
        limits = LimitsParser.parse(limitsText(rules));
        first = allowedBy(0);
        last = allowedBy(rules - 1);
        denied = SampleRequest.of("DELETE", GATEWAY + "/rest/api/2/issue/P0-17", null);
        check(limits.evaluate(first), true);
        check(limits.evaluate(last), true);
        check(limits.evaluate(denied), false);
    }

    private static void check(Decision decision, boolean allowed) {
        if (decision.allowed() != allowed) {
            throw new IllegalStateException("benchmark setup is wrong: " + decision.reason());
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
        return limits.evaluate(allowedBy(rules - 1));
    }
}
