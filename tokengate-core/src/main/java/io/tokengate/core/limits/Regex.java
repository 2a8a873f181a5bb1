package io.tokengate.core.limits;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A restriction regex: RE2 syntax, compiled once, always matched against the whole input. RE2 runs
 * in time linear in the input, so no restriction can be made to backtrack catastrophically.
 *
 * <p>RE2/J defines the syntax and the answers. A regex in the subset that {@link
 * RegexSubsetParser} reads is also compiled to a {@link LazyDfa}, which gives the same answers in
 * a single pass without RE2/J's NFA simulation; RE2/J answers for every other regex and whenever
 * the DFA rests after spending its memory budget too fast. Setting the system property {@value
 * #ENGINE_PROPERTY} to {@code re2j} before limits are parsed switches the DFA off (a baseline for
 * benchmarks, and a way out should it ever be suspected).
 *
 * <p>Equality and {@link #toString()} use the source text.
 */
public final class Regex {
    /** System property naming the matcher: {@code dfa} (default) or {@code re2j}. */
    public static final String ENGINE_PROPERTY = "tokengate.limits.engine";

    /** Largest NFA compiled for one regex, in instructions; larger regexes stay with RE2/J. */
    static final int MAX_INSTRUCTIONS = 20_000;

    /** Memory of one regex's DFA, in ints (256 KiB). */
    static final long DFA_BUDGET = 64 * 1024;

    private final String source;
    private final Pattern pattern;
    private final Optional<RegexNode> tree;
    private final LazyDfa dfa;

    private Regex(String source, Pattern pattern, Optional<RegexNode> tree, LazyDfa dfa) {
        this.source = source;
        this.pattern = pattern;
        this.tree = tree;
        this.dfa = dfa;
    }

    /**
     * Compiles {@code source}, or explains why not.
     *
     * @throws RegexSyntaxException with the offset in {@code source} of the offending construct
     */
    public static Regex compile(String source) {
        Objects.requireNonNull(source, "source");
        RegexSyntax.rejectUnsupported(source);
        Pattern pattern;
        try {
            pattern = Pattern.compile(source);
        } catch (PatternSyntaxException e) {
            throw RegexSyntaxException.fromRe2(source, e);
        }
        Optional<RegexNode> tree = dfaEnabled() ? RegexSubsetParser.parse(source) : Optional.empty();
        Optional<Program> program = tree.flatMap(t -> Program.compile(List.of(tree), MAX_INSTRUCTIONS));
        return program.isEmpty()
                ? new Regex(source, pattern, Optional.empty(), null)
                : new Regex(source, pattern, tree, new LazyDfa(program.get(), DFA_BUDGET));
    }

    static boolean dfaEnabled() {
        return !"re2j".equals(System.getProperty(ENGINE_PROPERTY));
    }

    /** Whether the whole of {@code input} matches; never a partial match. */
    public boolean matchesFully(String input) {
        LazyDfa.State end = dfa == null ? null : dfa.run(input);
        return end != null ? end.matches() != null : pattern.matches(input);
    }

    /** The syntax tree when the DFA matcher runs this regex; empty when RE2/J does. */
    Optional<RegexNode> tree() {
        return tree;
    }

    /** The DFA that answers for this regex; empty when RE2/J does. */
    Optional<LazyDfa> dfa() {
        return Optional.ofNullable(dfa);
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
