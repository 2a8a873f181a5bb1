package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.SplittableRandom;
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
    void aRegexThatSpendsItsStateBudgetIsAnsweredByRe2jFromThenOn() {
        String source = "(a|b)*a(a|b){12}";
        Regex regex = Regex.compile(source);
        Pattern reference = Pattern.compile(source);
        LazyDfa dfa = regex.dfa().orElseThrow();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10; i++) {
            String input = randomAb(random, 40);
            assertThat(regex.matchesFully(input)).isEqualTo(reference.matches(input));
        }
        assertThat(dfa.exhausted()).as("ten inputs stay well within the budget").isFalse();
        for (int i = 0; i < 2000; i++) {
            String input = randomAb(random, 40);
            assertThat(regex.matchesFully(input)).as(input).isEqualTo(reference.matches(input));
        }
        assertThat(dfa.exhausted()).isTrue();
        assertThat(dfa.run("ab")).as("no more states are built").isNull();
        assertThat(regex.matchesFully("a" + "b".repeat(12))).isTrue();
        assertThat(regex.matchesFully("b".repeat(13))).isFalse();
    }

    @Test
    void limitsWhoseIndexSpendsItsBudgetEvaluateRuleAfterRuleWithTheSameDecisions() {
        Limits limits = LimitsParser.parse("[GET].*/rest/x\n.*/(a|b)*a(a|b){18}\n[POST].*/b+");
        Limits reference = new Limits(limits.rules(), false);
        RuleIndex index = limits.index().orElseThrow();
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 10_000 && !index.exhausted(); i++) {
            Request request = Request.of(random.nextBoolean() ? "GET" : "POST", "/" + randomAb(random, 100));
            assertThat(limits.evaluate(request).reason())
                    .isEqualTo(reference.evaluate(request).reason());
        }
        assertThat(index.exhausted()).isTrue();
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
    void queryConditionsWhoseIndexSpendsItsBudgetAreCheckedOneByOneWithTheSameDecisions() {
        Limits limits = LimitsParser.parse(".*/s[QueryParam::q==(a|b)*a(a|b){16}]\n.*/s[QueryParam::q==b+]");
        Limits reference = new Limits(limits.rules(), false);
        QueryIndex index = limits.queryIndex().orElseThrow();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000 && !index.exhausted("q"); i++) {
            Request request = Request.get("/s?q=" + randomAb(random, 100) + "&q=" + randomAb(random, 20));
            assertThat(limits.evaluate(request).reason())
                    .isEqualTo(reference.evaluate(request).reason());
        }
        assertThat(index.exhausted("q")).isTrue();
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
