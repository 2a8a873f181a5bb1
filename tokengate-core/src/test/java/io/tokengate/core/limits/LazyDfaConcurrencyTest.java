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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
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

        assertThat(wrongAnswers(0, input -> regex.matchesFully(input) == reference.matches(input)))
                .isZero();
        assertThat(regex.dfa().orElseThrow().generations())
                .as("the states fit the budget")
                .isEqualTo(1);
    }

    /**
     * Threads that are walking states when another thread drops them all (the budget spent) must
     * still get right answers: a dropped state stands for its NFA set as before, and what it lacks
     * is built into the new generation.
     */
    @Test
    void threadsWalkingStatesThatAnotherThreadDropsGetRe2jAnswers() throws Exception {
        String source = "(a|b)*a(a|b){7}c?";
        Program program = Program.compile(List.of(RegexSubsetParser.parse(source)), Regex.MAX_INSTRUCTIONS)
                .orElseThrow();
        // A clock a rest time ahead at every reading: each generation is old enough to be
        // replaced, so the DFA never rests and a small budget turns generations over all the time.
        AtomicLong clock = new AtomicLong();
        LazyDfa dfa = new LazyDfa(program, 2_000, () -> clock.addAndGet(LazyDfa.REST_NANOS));
        Pattern reference = Pattern.compile(source);

        int wrong = wrongAnswers(100, input -> {
            LazyDfa.State end = dfa.run(input);
            return end != null && (end.matches() != null) == reference.matches(input);
        });

        assertThat(wrong).as("answers missing or wrong").isZero();
        assertThat(dfa.generations())
                .as("generations turned over while the threads ran")
                .isGreaterThan(10);
    }

    /**
     * {@link #THREADS} threads at once, each asking {@code right} about 20 000 random inputs of a,
     * b and c (thread {@code t} seeded with {@code seed + t}); the answers it found wrong, in all.
     */
    private static int wrongAnswers(long seed, Predicate<String> right) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long threadSeed = seed + t;
                Callable<Integer> task = () -> {
                    SplittableRandom random = new SplittableRandom(threadSeed);
                    int wrong = 0;
                    for (int i = 0; i < 20_000; i++) {
                        StringBuilder input = new StringBuilder();
                        for (int n = random.nextInt(20); n > 0; n--) {
                            input.append("abc".charAt(random.nextInt(3)));
                        }
                        if (!right.test(input.toString())) {
                            wrong++;
                        }
                    }
                    return wrong;
                };
                results.add(pool.submit(task));
            }
            int wrong = 0;
            for (Future<Integer> result : results) {
                wrong += result.get();
            }
            return wrong;
        } finally {
            pool.shutdownNow();
        }
    }
}
