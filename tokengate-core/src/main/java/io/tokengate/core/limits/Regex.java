package io.tokengate.core.limits;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * A restriction regex: RE2 syntax, compiled once, always matched against the whole input. RE2 runs
 * in time linear in the input, so no restriction can be made to backtrack catastrophically.
 *
 * <p>Equality and {@link #toString()} use the source text.
 */
public final class Regex {
    private final String source;
    private final Pattern pattern;

    private Regex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * Compiles {@code source}, or explains why not.
     *
     * @throws RegexSyntaxException with the offset in {@code source} of the offending construct
     */
    public static Regex compile(String source) {
        Objects.requireNonNull(source, "source");
        RegexSyntax.rejectUnsupported(source);
        try {
            return new Regex(source, Pattern.compile(source));
        } catch (PatternSyntaxException e) {
            throw RegexSyntaxException.fromRe2(source, e);
        }
    }

    /** Whether the whole of {@code input} matches; never a partial match. */
    public boolean matchesFully(String input) {
        return pattern.matches(input);
    }

    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Regex that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}
