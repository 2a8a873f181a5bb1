package io.tokengate.core.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the part of RE2 syntax that the DFA matcher runs exactly; anything else is left to RE2/J.
 * Only called on regexes that RE2/J has already accepted, and reads them as RE2/J does (Perl flags:
 * {@code .} does not match a newline, negated classes do).
 *
 * <p>The subset: ASCII literals; escaped ASCII punctuation; {@code \n \t \r \f}; {@code \d \D \w
 * \W \s \S}; {@code .}; classes with ranges, negation and those escapes; groups {@code (...)},
 * {@code (?:...)}; alternation; {@code * + ?} and {@code {n} {n,} {n,m}}, greedy or not; {@code ^}
 * as the first and {@code $} as the last character of the regex, where a full match makes them
 * always hold. Outside it: flags such as {@code (?i)}, named groups, POSIX and Unicode classes,
 * other escapes, anchors elsewhere, non-ASCII characters in the regex, and any spelling that RE2
 * reads in an unusual way (a literal {@code {}, {@code }} or {@code ]}, counts with leading zeros).
 */
final class RegexSubsetParser {
    private final String source;
    private int at;

    private RegexSubsetParser(String source) {
        this.source = source;
    }

    /** The syntax tree of {@code source}, or empty when it is outside the subset. */
    static Optional<RegexNode> parse(String source) {
        RegexSubsetParser parser = new RegexSubsetParser(source);
        try {
            if (source.startsWith("^")) {
                parser.at = 1;
            }
            RegexNode tree = parser.alternation();
            return parser.at == source.length() ? Optional.of(tree) : Optional.empty();
        } catch (OutsideSubset e) {
            return Optional.empty();
        }
    }

    private RegexNode alternation() {
        List<RegexNode> alternatives = new ArrayList<>();
        alternatives.add(concat());
        while (peek('|')) {
            at++;
            alternatives.add(concat());
        }
        return alternatives.size() == 1 ? alternatives.get(0) : new RegexNode.Alternation(alternatives);
    }

    private RegexNode concat() {
        List<RegexNode> parts = new ArrayList<>();
        while (at < source.length() && !peek('|') && !peek(')')) {
            if (peek('$') && at == source.length() - 1) {
                at++; // the end of the input, which a full match reaches anyway
            } else {
                parts.add(repeat(atom()));
            }
        }
        return parts.size() == 1 ? parts.get(0) : new RegexNode.Concat(parts);
    }

    private RegexNode repeat(RegexNode body) {
        if (at >= source.length()) {
            return body;
        }
        RegexNode repeated;
        switch (source.charAt(at)) {
            case '*' -> repeated = new RegexNode.Repeat(body, 0, RegexNode.Repeat.UNBOUNDED);
            case '+' -> repeated = new RegexNode.Repeat(body, 1, RegexNode.Repeat.UNBOUNDED);
            case '?' -> repeated = new RegexNode.Repeat(body, 0, 1);
            case '{' -> repeated = counted(body);
            default -> {
                return body;
            }
        }
        at++;
        if (peek('?')) {
            at++; // non-greedy: the same strings match in full
        }
        if (at < source.length() && "*+?{".indexOf(source.charAt(at)) >= 0) {
            throw new OutsideSubset(); // RE2 rejects stacked repetitions; never guess
        }
        return repeated;
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}}; leaves {@link #at} on the closing brace. */
    private RegexNode counted(RegexNode body) {
        at++;
        int min = number();
        int max = min;
        if (peek(',')) {
            at++;
            max = peek('}') ? RegexNode.Repeat.UNBOUNDED : number();
        }
        if (!peek('}') || (max != RegexNode.Repeat.UNBOUNDED && max < min)) {
            throw new OutsideSubset();
        }
        return new RegexNode.Repeat(body, min, max);
    }

    private int number() {
        int start = at;
        while (at < source.length() && source.charAt(at) >= '0' && source.charAt(at) <= '9') {
            at++;
        }
        int length = at - start;
        if (length == 0 || length > 4 || (length > 1 && source.charAt(start) == '0')) {
            throw new OutsideSubset();
        }
        return Integer.parseInt(source, start, at, 10);
    }

    private RegexNode atom() {
        char c = source.charAt(at++);
        switch (c) {
            case '(' -> {
                if (peek('?')) {
                    if (!source.startsWith("?:", at)) {
                        throw new OutsideSubset();
                    }
                    at += 2;
                }
                RegexNode group = alternation();
                if (!peek(')')) {
                    throw new OutsideSubset();
                }
                at++;
                return group;
            }
            case '[' -> {
                return new RegexNode.Symbols(charClass());
            }
            case '.' -> {
                return new RegexNode.Symbols(SymbolSet.DOT);
            }
            case '\\' -> {
                return new RegexNode.Symbols(escape());
            }
            case '*', '+', '?', '{', '}', ']', '^', '$', ')' -> throw new OutsideSubset();
            default -> {
                return new RegexNode.Symbols(SymbolSet.of(literalChar(c)));
            }
        }
    }

    /** After {@code [}: members up to the closing {@code ]}, read as RE2's parser reads them. */
    private SymbolSet charClass() {
        boolean negated = peek('^');
        if (negated) {
            at++;
        }
        SymbolSet members = SymbolSet.EMPTY;
        boolean first = true;
        while (first || !peek(']')) {
            if (at >= source.length() || source.startsWith("[:", at)) {
                throw new OutsideSubset();
            }
            first = false;
            SymbolSet perl = at + 1 < source.length() && peek('\\') ? perlClass(source.charAt(at + 1)) : null;
            if (perl != null) {
                at += 2;
                members = members.union(perl);
                continue;
            }
            char low = classChar();
            char high = low;
            if (at + 1 < source.length() && peek('-') && source.charAt(at + 1) != ']') {
                at++;
                high = classChar();
                if (high < low) {
                    throw new OutsideSubset();
                }
            }
            members = members.union(SymbolSet.range(low, high));
        }
        at++;
        return negated ? members.negate() : members;
    }

    private char classChar() {
        char c = source.charAt(at++);
        return c == '\\' ? escapedChar() : literalChar(c);
    }

    /** After a backslash: a Perl class or one escaped character. */
    private SymbolSet escape() {
        SymbolSet perl = at < source.length() ? perlClass(source.charAt(at)) : null;
        if (perl != null) {
            at++;
            return perl;
        }
        return SymbolSet.of(escapedChar());
    }

    /** After a backslash: escaped ASCII punctuation stands for itself, as in RE2. */
    private char escapedChar() {
        if (at >= source.length()) {
            throw new OutsideSubset();
        }
        char c = source.charAt(at++);
        if (c < 0x80 && !Character.isLetterOrDigit(c)) {
            return c;
        }
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'f' -> '\f';
            default -> throw new OutsideSubset();
        };
    }

    private static SymbolSet perlClass(char c) {
        return switch (c) {
            case 'd' -> SymbolSet.DIGIT;
            case 'D' -> SymbolSet.DIGIT.negate();
            case 'w' -> SymbolSet.WORD;
            case 'W' -> SymbolSet.WORD.negate();
            case 's' -> SymbolSet.SPACE;
            case 'S' -> SymbolSet.SPACE.negate();
            default -> null;
        };
    }

    private static char literalChar(char c) {
        if (c >= 0x80) {
            throw new OutsideSubset();
        }
        return c;
    }

    private boolean peek(char c) {
        return at < source.length() && source.charAt(at) == c;
    }

    /** The regex leaves the subset; control flow only, so no stack trace. */
    private static final class OutsideSubset extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutsideSubset() {
            super(null, null, false, false);
        }
    }
}
