package io.tokengate.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "100/min        | 100/min",
                "100/m          | 100/min",
                "  7 / Minutes  | 7/min",
                "1/s            | 1/s",
                "20/SEC         | 20/s",
                "3/second       | 3/s",
                "5000/h         | 5000/h",
                "5000/hour      | 5000/h",
                "2/hrs          | 2/h",
                "10000/day      | 10000/day",
                "1/d            | 1/day",
                "1000000/s      | 1000000/s",
                "9/s            | 9/s",
                "1999/h         | 1999/h",
            })
    void readsEverySpellingAndWritesTheCanonicalOne(String text, String canonical) {
        RateLimit rate = RateLimit.parse(text).orElseThrow();
        assertThat(rate.toString()).isEqualTo(canonical);
        assertThat(RateLimit.parse(rate.toString())).contains(rate);
    }

    @Test
    void blankOrNoneIsNoLimit() {
        assertThat(RateLimit.parse(null)).isEmpty();
        assertThat(RateLimit.parse("")).isEmpty();
        assertThat(RateLimit.parse("  ")).isEmpty();
        assertThat(RateLimit.parse("None")).isEmpty();
    }

    @Test
    void theIntervalIsThePeriodSharedOut() {
        assertThat(RateLimit.parse("100/min").orElseThrow().intervalNanos()).isEqualTo(600_000_000L);
        assertThat(RateLimit.parse("1/day").orElseThrow().intervalNanos()).isEqualTo(86_400_000_000_000L);
        assertThat(RateLimit.parse("1000000/s").orElseThrow().intervalNanos()).isEqualTo(1_000L);
        assertThat(RateLimit.parse("3/s").orElseThrow().intervalNanos()).isEqualTo(333_333_333L);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "100            | has no '/'",
                "100 per minute | has no '/'",
                "/min           | not a number of requests",
                "0/min          | between 1 and 1000000, not 0",
                "1000001/s      | between 1 and 1000000, not 1000001",
                "99999999999/s  | not a number of requests",
                "-1/s           | not a number of requests",
                "1.5/s          | not a number of requests",
                "１０/s          | not a number of requests",
                "10/week        | 'week' is not a unit",
                "10/            | '' is not a unit",
                "10/min/h       | 'min/h' is not a unit",
                "10/2min        | '2min' is not a unit",
            })
    void refusesWhatItCannotReadSayingHowToWriteIt(String text, String problem) {
        assertThatThrownBy(() -> RateLimit.parse(text))
                .isInstanceOfSatisfying(InvalidTokenSpecException.class, e -> assertThat(e.field())
                        .isEqualTo("rateLimit"))
                .hasMessageContaining(problem)
                .hasMessageContaining("e.g. 100/min");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000/s", "1/\u001bmin"})
    void neverEchoesControlCharacters(String text) {
        assertThatThrownBy(() -> RateLimit.parse(text))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000", "\u001b"));
    }

    @Test
    void onlyWholeUnitsArePeriods() {
        assertThatThrownBy(() -> new RateLimit(10, Duration.ofSeconds(90)))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("second, minute, hour or day");
        assertThat(new RateLimit(10, Duration.ofHours(1)).toString()).isEqualTo("10/h");
    }
}
