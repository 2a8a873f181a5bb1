package io.tokengate.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The DFA matcher against RE2/J, the reference, on random regexes and inputs: every pair must get
 * the same full-match answer. Inputs come from each regex (strings it matches, and mutations of
 * them, which sit right at the boundary) and at random, with newlines, non-ASCII characters and
 * lone surrogates. Reproducible with {@code -Dtokengate.fuzz.seed=N}; {@code
 * -Dtokengate.fuzz.runs=N} tries more regexes.
 */
class RegexDifferentialTest {
    private static final long SEED = Long.getLong("tokengate.fuzz.seed", 20261128L);
    private static final int REGEXES = Integer.getInteger("tokengate.fuzz.runs", 4000);

    @Test
    void dfaAgreesWithRe2jOnEveryRandomRegexAndInput() {
        SplittableRandom random = new SplittableRandom(SEED);
        RandomRegex generator = new RandomRegex(random);
        int pairs = 0;
        int viaDfa = 0;
        int matched = 0;
        List<String> disagreements = new ArrayList<>();
        for (int n = 0; n < REGEXES; n++) {
            RandomRegex.Sample sample = generator.next();
            Regex regex;
            try {
                regex = Regex.compile(sample.regex());
            } catch (RegexSyntaxException invalid) {
                continue;
            }
            Pattern reference = Pattern.compile(sample.regex());
            if (regex.dfa().isPresent()) {
                viaDfa++;
            }
            for (String input : inputs(random, sample)) {
                boolean expected = reference.matches(input);
                pairs++;
                matched += expected ? 1 : 0;
                if (regex.matchesFully(input) != expected) {
                    disagreements.add("/" + sample.regex() + "/ on '" + escape(input) + "': RE2/J says " + expected);
                }
            }
        }
        assertThat(disagreements).as("seed " + SEED).isEmpty();
        assertThat(pairs).isGreaterThan(REGEXES * 10);
        assertThat(viaDfa).as("regexes the DFA answered").isGreaterThan(REGEXES / 2);
        assertThat(matched)
                .as("pairs that match, so both answers are exercised")
                .isGreaterThan(pairs / 5);
    }

    /** '@' (64) and the non-ASCII symbol (128) sit at the edges of the DFA's two 64-bit words. */
    @Test
    void dfaAgreesWithRe2jAtTheEdgesOfItsSymbolSets() {
        String[] regexes = {"@", "[@]", "[^@]", "[?-A]+", ".*@.*", "[^A-Z@]", "[\\x{0}-?]", "\\W", "[^a]"};
        String[] inputs = {"@", "?", "A", "\u0000", "\u007f", "\u0080", "é", "😀", "a@b", "", "@@"};
        for (String source : regexes) {
            Regex regex = Regex.compile(source);
            Pattern reference = Pattern.compile(source);
            for (String input : inputs) {
                assertThat(regex.matchesFully(input))
                        .as("/%s/ on '%s'", source, escape(input))
                        .isEqualTo(reference.matches(input));
            }
        }
        assertThat(Regex.compile("[@]").dfa()).as("the DFA answers").isPresent();
        assertThat(Regex.compile("[^@]").dfa()).isPresent();
    }

    @Test
    void theEngineSwitchLeavesEveryRegexToRe2j() {
        try {
            System.setProperty(Regex.ENGINE_PROPERTY, "re2j");
            Regex regex = Regex.compile(".*/issue/JRA-[0-9]+");
            assertThat(regex.dfa()).isEmpty();
            assertThat(regex.matchesFully("https://x/issue/JRA-1")).isTrue();
        } finally {
            System.clearProperty(Regex.ENGINE_PROPERTY);
        }
        assertThat(Regex.compile(".*/issue/JRA-[0-9]+").dfa()).isPresent();
    }

    private static List<String> inputs(SplittableRandom random, RandomRegex.Sample sample) {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            StringBuilder example = new StringBuilder();
            sample.example().append(random, example);
            inputs.add(example.toString());
            inputs.add(RandomRegex.mutate(random, example.toString()));
        }
        for (int i = 0; i < 6; i++) {
            inputs.add(RandomRegex.randomString(random, 8));
        }
        inputs.add("");
        return inputs;
    }

    private static String escape(String input) {
        StringBuilder out = new StringBuilder();
        for (char c : input.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }
}
