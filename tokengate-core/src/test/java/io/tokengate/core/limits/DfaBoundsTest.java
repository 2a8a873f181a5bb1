package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When the DFA matcher steps aside for RE2/J, and that answers stay right when it does. */
class DfaBoundsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                ".*/rest/api/2/issue/JRA.*",
                "^https://jira\\.example\\.com/.*$",
                "[^]]*\\]",
                "(?:a|b)+?c{2,3}",
                "[\\d-z]\\W\\s\\S",
                "a||b"
            })
    void theDfaRunsRegexesInTheSubset(String source) {
        assertThat(Regex.compile(source).dfa()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "(?i)jra-\\d+",
                "\\pL+",
                "a\\bb",
                "é+",
                "[[:alpha:]]+",
                "a{,3}",
                "x{01}",
                "a|^b",
                "a$|b",
                "(?P<key>[A-Z]+)",
                "\\x41",
                "\\Qa.b\\E"
            })
    void regexesOutsideTheSubsetAreLeftToRe2j(String source) {
        Regex regex = Regex.compile(source);
        assertThat(regex.dfa()).isEmpty();
        Pattern reference = Pattern.compile(source);
        for (String input : new String[] {"", "a", "b", "A", "JRA-1", "jra-1", "éé", "a{,3}", "x{01}", "key", "a.b"}) {
            assertThat(regex.matchesFully(input)).as(input).isEqualTo(reference.matches(input));
        }
    }

    @Test
    void aRegexTooLargeToCompileIsLeftToRe2j() {
        String source = "a{1000}".repeat(Regex.MAX_INSTRUCTIONS / 1000 + 1);
        Regex regex = Regex.compile(source);
        assertThat(regex.dfa()).isEmpty();
        assertThat(regex.matchesFully("a".repeat(Regex.MAX_INSTRUCTIONS + 1000)))
                .isTrue();
        assertThat(regex.matchesFully("a".repeat(Regex.MAX_INSTRUCTIONS + 999))).isFalse();
    }

    /** "The 13th character from the end is an a" needs 2^13 DFA states; random inputs find many. */
    @Test
    void aRegexThatSpendsItsStateBudgetAtOnceRestsAndRe2jAnswersMeanwhile() {
        String source = "(a|b)*a(a|b){12}";
        Regex regex = Regex.compile(source);
        Pattern reference = Pattern.compile(source);
        LazyDfa dfa = regex.dfa().orElseThrow();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10; i++) {
            String input = randomAb(random, 40);
            assertThat(regex.matchesFully(input)).isEqualTo(reference.matches(input));
        }
        assertThat(dfa.resting()).as("ten inputs stay well within the budget").isFalse();
        for (int i = 0; i < 2000; i++) {
            String input = randomAb(random, 40);
            assertThat(regex.matchesFully(input)).as(input).isEqualTo(reference.matches(input));
        }
        assertThat(dfa.resting())
                .as("a budget spent within seconds of the start")
                .isTrue();
        assertThat(dfa.generations()).as("no new generation while resting").isEqualTo(1);
        assertThat(dfa.run("ab")).as("no more states are built").isNull();
        assertThat(regex.matchesFully("a" + "b".repeat(12))).isTrue();
        assertThat(regex.matchesFully("b".repeat(13))).isFalse();
    }

    /**
     * A server sees URLs of new shapes now and then, over days: a generation of states that lived
     * the rest time before its budget ran out is dropped, and the DFA goes on answering.
     */
    @Test
    void aGenerationThatLivedTheRestTimeIsDroppedAndTheDfaGoesOnAnswering() {
        String source = "(a|b)*a(a|b){12}";
        Pattern reference = Pattern.compile(source);
        AtomicLong clock = new AtomicLong(-5_000_000_000L); // System.nanoTime may be negative
        LazyDfa dfa = dfa(source, Regex.DFA_BUDGET, clock);
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 3000; i++) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
            String input = randomAb(random, 40);
            LazyDfa.State end = dfa.run(input);
            assertThat(end).as("answered by the DFA: " + input).isNotNull();
            assertThat(end.matches() != null).as(input).isEqualTo(reference.matches(input));
        }
        assertThat(dfa.generations())
                .as("the budget was spent and states dropped")
                .isGreaterThan(2);
        assertThat(dfa.resting()).isFalse();
    }

    @Test
    void aDfaRestsForTheRestTimeAfterItsBudgetWasSpentAndThenStartsAgain() {
        String source = "(a|b)*a(a|b){12}";
        AtomicLong clock = new AtomicLong();
        LazyDfa dfa = dfa(source, Regex.DFA_BUDGET, clock);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000 && !dfa.resting(); i++) {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            dfa.run(randomAb(random, 40));
        }
        assertThat(dfa.resting()).as("spent within the rest time").isTrue();
        clock.addAndGet(LazyDfa.REST_NANOS - 1);
        assertThat(dfa.resting()).isTrue();
        assertThat(dfa.run("a" + "b".repeat(12))).isNull();
        assertThat(dfa.generations()).isEqualTo(1);

        clock.addAndGet(1);
        LazyDfa.State end = dfa.run("a" + "b".repeat(12));
        assertThat(end).as("a new generation answers").isNotNull();
        assertThat(end.matches()).isNotNull();
        assertThat(dfa.run("b".repeat(13)).matches()).isNull();
        assertThat(dfa.generations()).isEqualTo(2);
        assertThat(dfa.resting()).isFalse();
    }

    @Test
    void aDfaWhoseStartStateAloneExceedsTheBudgetLeavesEveryAnswerToTheReferenceForGood() {
        AtomicLong clock = new AtomicLong();
        LazyDfa dfa = dfa("abc|abd", 4, clock);
        assertThat(dfa.resting()).isTrue();
        assertThat(dfa.run("abc")).isNull();
        clock.addAndGet(LazyDfa.REST_NANOS * 10);
        assertThat(dfa.resting()).isTrue();
        assertThat(dfa.run("abc")).isNull();
    }

    /** A DFA of {@code source} with {@code budget} and {@code clock} as its time. */
    private static LazyDfa dfa(String source, long budget, AtomicLong clock) {
        Program program = Program.compile(List.of(RegexSubsetParser.parse(source)), Regex.MAX_INSTRUCTIONS)
                .orElseThrow();
        return new LazyDfa(program, budget, clock::get);
    }

    @Test
    void limitsWhoseIndexRestsEvaluateRuleAfterRuleWithTheSameDecisions() {
        Limits limits = LimitsParser.parse("[GET].*/rest/x\n.*/(a|b)*a(a|b){18}\n[POST].*/b+");
        Limits reference = new Limits(limits.rules(), false);
        RuleIndex index = limits.index().orElseThrow();
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 10_000 && !index.resting(); i++) {
            Request request = Request.of(random.nextBoolean() ? "GET" : "POST", "/" + randomAb(random, 100));
            assertThat(limits.evaluate(request).reason())
                    .isEqualTo(reference.evaluate(request).reason());
        }
        assertThat(index.resting()).isTrue();
        for (String path : new String[] {"/rest/x", "/a" + "b".repeat(18), "/bbb", "/" + "b".repeat(19)}) {
            for (String method : new String[] {"GET", "POST"}) {
                Request request = Request.of(method, path);
                assertThat(limits.evaluate(request).reason())
                        .as(method + " " + path)
                        .isEqualTo(reference.evaluate(request).reason());
            }
        }
        assertThat(limits.evaluate(Request.get("/rest/x")).allowed()).isTrue();
        assertThat(limits.evaluate(Request.get("/bbb")).allowed()).isFalse();
        assertThat(limits.evaluate(Request.post("/bbb")).allowed()).isTrue();
    }

    @Test
    void queryConditionsWhoseIndexRestsAreCheckedOneByOneWithTheSameDecisions() {
        Limits limits = LimitsParser.parse(".*/s[QueryParam::q==(a|b)*a(a|b){16}]\n.*/s[QueryParam::q==b+]");
        Limits reference = new Limits(limits.rules(), false);
        QueryIndex index = limits.queryIndex().orElseThrow();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000 && !index.resting("q"); i++) {
            Request request = Request.get("/s?q=" + randomAb(random, 100) + "&q=" + randomAb(random, 20));
            assertThat(limits.evaluate(request).reason())
                    .isEqualTo(reference.evaluate(request).reason());
        }
        assertThat(index.resting("q")).isTrue();
        assertThat(limits.evaluate(Request.get("/s?q=a" + "b".repeat(16))).reason())
                .isEqualTo("allowed by rule 1 (line 1)");
        assertThat(limits.evaluate(Request.get("/s?q=bbb&q=b")).reason()).isEqualTo("allowed by rule 2 (line 2)");
        assertThat(limits.evaluate(Request.get("/s?q=bbb&q=a")).allowed()).isFalse();
    }

    @Test
    void limitsWithoutAnyRegexTheDfaRunsHaveNoIndex() {
        assertThat(LimitsParser.parse("(?i).*/ISSUE/.*\n\\pL.*").index()).isEmpty();
        assertThat(LimitsParser.parse("(?i).*/ISSUE/.*\n.*/search").index()).isPresent();
    }

    private static String randomAb(SplittableRandom random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(random.nextBoolean() ? 'a' : 'b');
        }
        return out.toString();
    }
}
