package io.tokengate.bench;

import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.SampleRequest;
import java.util.List;
import java.util.SplittableRandom;
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
 * One decision by the last of 1000 rules after URLs of many shapes have spent the state budget of
 * the rules' union DFA (a few thousand distinct URLs do), and then {@value #QUIET_MILLIS} ms have
 * passed: longer than the rest a DFA takes after spending its budget that fast. {@code history}
 * {@code none} is the same limits without the flood, the baseline of the same run. The limits
 * are {@link LimitsBenchmark}'s shapes; the flood is {@value #FLOOD} {@code PATCH} requests for
 * paths like theirs, of the limits' projects and random numbers (a client exploring, or an
 * attacker), each denied: the union DFA reads their URLs whatever the method.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LimitsRecoveryBenchmark {
    private static final int FLOOD = 5000;
    private static final long QUIET_MILLIS = 11_000;
    /**
     * Paths of the flood, after those the rules allow: a project ({@code %1$s}), a number ({@code
     * %2$d}) and the project's number ({@code %3$d}) of their own each time.
     */
    private static final String[] FLOOD_PATHS = {
        "/rest/api/2/issue/%1$s-%2$d",
        "/rest/api/2/issue/%1$s-%2$d/comment",
        "/rest/api/2/issue/%1$s-%2$d/transitions",
        "/rest/api/2/issue/%1$s-%2$d/worklog",
        "/rest/api/2/issue/%1$s-%2$d/votes",
        "/rest/api/2/issue/%1$s-%2$d/remotelink/%2$d",
        "/rest/api/2/project/%1$s/versions",
        "/rest/api/2/attachment/%1$s%2$d",
        "/rest/extender/1.0/worklog/user/u%3$d"
    };

    @Param({"1000"})
    int rules;

    @Param({"cycle", "mixed"})
    String shape;

    @Param({"none", "flood"})
    String history;

    private Limits limits;
    private GatewayRequestView last;

    @Setup
    public void setUp() throws InterruptedException {
        limits = LimitsParser.parse(LimitsBenchmark.text(shape, rules));
        last = LimitsBenchmark.allowedBy(shape, rules - 1, rules);
        LimitsBenchmark.check(limits.evaluate(last), rules);
        if (history.equals("flood")) {
            SplittableRandom random = new SplittableRandom(1);
            List<String> projects = LimitsBenchmark.projects(shape, rules);
            for (int i = 0; i < FLOOD; i++) {
                int number = random.nextInt(projects.size());
                String path = String.format(
                        FLOOD_PATHS[random.nextInt(FLOOD_PATHS.length)],
                        projects.get(number),
                        random.nextInt(1_000_000),
                        number);
                Decision decision =
                        limits.evaluate(SampleRequest.of("PATCH", LimitsBenchmark.GATEWAY + path, null, List.of()));
                if (decision.allowed()) {
                    throw new IllegalStateException("benchmark setup is wrong: the flood is allowed: " + path);
                }
            }
            Thread.sleep(QUIET_MILLIS);
        }
    }

    @Benchmark
    public Decision allowedByLastRule() {
        return limits.evaluate(last);
    }
}
