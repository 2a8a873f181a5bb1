package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Limits are shared by every request thread: threads that build DFA states at the same time, and
 * threads that read transitions while others add them, must all get RE2/J's answers.
 */
class LazyDfaConcurrencyTest {
    private static final int THREADS = 4;

    @Test
    void threadsBuildingAndReadingStatesTogetherGetRe2jAnswers() throws Exception {
        String source = "(a|b)*a(a|b){7}c?";
        Regex regex = Regex.compile(source);
        Pattern reference = Pattern.compile(source);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                Callable<Integer> task = () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int disagreements = 0;
                    for (int i = 0; i < 20_000; i++) {
                        StringBuilder input = new StringBuilder();
                        for (int n = random.nextInt(20); n > 0; n--) {
                            input.append("abc".charAt(random.nextInt(3)));
                        }
                        if (regex.matchesFully(input.toString()) != reference.matches(input.toString())) {
                            disagreements++;
                        }
                    }
                    return disagreements;
                };
                results.add(pool.submit(task));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(regex.dfa().orElseThrow().exhausted())
                .as("the states fit the budget")
                .isFalse();
    }
}
