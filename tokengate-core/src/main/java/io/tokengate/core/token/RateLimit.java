package io.tokengate.core.token;

import io.tokengate.core.request.Quote;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How many requests a token may make per period, written {@code 100/min}: up to that many at once,
 * then one more every period ÷ requests (a bucket of {@code requests} that refills continuously, so
 * a steady caller gets exactly the rate and an idle one a full burst). The gateway answers 429 with
 * {@code Retry-After} beyond it.
 *
 * <p>Units: {@code s}, {@code min}, {@code h} and {@code day}, case-insensitive; also {@code sec},
 * {@code second}, {@code minute}, {@code hour}, {@code d} and their plurals. {@link #toString()}
 * gives the canonical form, which {@link #parse(String)} reads back.
 *
 * @param requests how many requests per period, 1 to {@value #MAX_REQUESTS}
 * @param period one second, minute, hour or day
 */
public record RateLimit(int requests, Duration period) {
    public static final int MAX_REQUESTS = 1_000_000;

    /** Digits in {@link #MAX_REQUESTS}: a longer number is out of range, and may not fit an int. */
    private static final int MAX_DIGITS = String.valueOf(MAX_REQUESTS).length();

    private static final String FIELD = "rateLimit";
    private static final String FORM = "write it as REQUESTS/UNIT, e.g. 100/min, with UNIT s, min, h or day";

    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (requests < 1 || requests > MAX_REQUESTS) {
            throw new InvalidTokenSpecException(
                    FIELD,
                    "the number of requests must be between 1 and " + MAX_REQUESTS + ", not " + requests + ": " + FORM);
        }
        if (Unit.of(period).isEmpty()) {
            throw new InvalidTokenSpecException(FIELD, "the period must be a second, minute, hour or day: " + FORM);
        }
    }

    /**
     * Reads a rate limit; blank text or {@code none} is no limit.
     *
     * @throws InvalidTokenSpecException naming the field {@code rateLimit} and what is wrong
     */
    public static Optional<RateLimit> parse(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        String stripped = text.strip();
        int slash = stripped.indexOf('/');
        if (slash < 0) {
            throw new InvalidTokenSpecException(FIELD, "'" + Quote.shorten(stripped) + "' has no '/': " + FORM);
        }
        String count = stripped.substring(0, slash).strip();
        String unit = stripped.substring(slash + 1).strip();
        if (count.isEmpty() || count.length() > MAX_DIGITS || !count.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidTokenSpecException(
                    FIELD,
                    "'" + Quote.shorten(count) + "' is not a number of requests between 1 and " + MAX_REQUESTS + ": "
                            + FORM);
        }
        Unit period = Unit.named(unit)
                .orElseThrow(() ->
                        new InvalidTokenSpecException(FIELD, "'" + Quote.shorten(unit) + "' is not a unit: " + FORM));
        return Optional.of(new RateLimit(Integer.parseInt(count), period.length));
    }

    /** The time between two requests at the steady rate, in nanoseconds (at least 1). */
    public long intervalNanos() {
        return Math.max(1, period.toNanos() / requests);
    }

    /** The canonical form, such as {@code 100/min}. */
    @Override
    public String toString() {
        return requests + "/" + Unit.of(period).orElseThrow().symbol;
    }

    private enum Unit {
        SECOND("s", Duration.ofSeconds(1), "s", "sec", "secs", "second", "seconds"),
        MINUTE("min", Duration.ofMinutes(1), "m", "min", "mins", "minute", "minutes"),
        HOUR("h", Duration.ofHours(1), "h", "hr", "hrs", "hour", "hours"),
        DAY("day", Duration.ofDays(1), "d", "day", "days");

        final String symbol;
        final Duration length;
        private final String[] names;

        Unit(String symbol, Duration length, String... names) {
            this.symbol = symbol;
            this.length = length;
            this.names = names;
        }

        static Optional<Unit> named(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Unit unit : values()) {
                for (String n : unit.names) {
                    if (n.equals(lower)) {
                        return Optional.of(unit);
                    }
                }
            }
            return Optional.empty();
        }

        static Optional<Unit> of(Duration period) {
            for (Unit unit : values()) {
                if (unit.length.equals(period)) {
                    return Optional.of(unit);
                }
            }
            return Optional.empty();
        }
    }
}
