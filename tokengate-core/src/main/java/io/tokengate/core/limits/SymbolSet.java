package io.tokengate.core.limits;

/**
 * A set of input symbols for the DFA matcher: the 128 ASCII characters, plus one symbol, {@link
 * #OTHER}, that stands for every non-ASCII code point. The matcher only handles regexes written in
 * ASCII without case folding or Unicode classes, so every non-ASCII code point belongs to exactly
 * the same sets (those of {@code .}, negated classes and {@code \D \W \S}), and one symbol is
 * exact for all of them.
 */
record SymbolSet(long low, long high, boolean other) {
    /** The symbol of every non-ASCII code point. */
    static final int OTHER = 128;

    /** Number of symbols: ASCII plus {@link #OTHER}. */
    static final int COUNT = 129;

    static final SymbolSet EMPTY = new SymbolSet(0, 0, false);
    static final SymbolSet DIGIT = range('0', '9');
    static final SymbolSet WORD =
            DIGIT.union(range('A', 'Z')).union(range('a', 'z')).union(of('_'));
    static final SymbolSet SPACE =
            of('\t').union(of('\n')).union(of('\f')).union(of('\r')).union(of(' '));
    /** {@code .}: any code point but a newline. */
    static final SymbolSet DOT = of('\n').negate();

    /** The set of one ASCII character. */
    static SymbolSet of(char c) {
        return range(c, c);
    }

    /** ASCII characters {@code from} to {@code to}, both included; both must be ASCII. */
    static SymbolSet range(char from, char to) {
        if (to >= OTHER || from > to) {
            throw new IllegalArgumentException("not an ASCII range: " + (int) from + ".." + (int) to);
        }
        long low = 0;
        long high = 0;
        for (int c = from; c <= to; c++) {
            if (c < 64) {
                low |= 1L << c;
            } else {
                high |= 1L << (c - 64);
            }
        }
        return new SymbolSet(low, high, false);
    }

    SymbolSet union(SymbolSet that) {
        return new SymbolSet(low | that.low, high | that.high, other || that.other);
    }

    SymbolSet negate() {
        return new SymbolSet(~low, ~high, !other);
    }

    boolean contains(int symbol) {
        if (symbol < 64) {
            return (low >>> symbol & 1) != 0;
        }
        return symbol < OTHER ? (high >>> (symbol - 64) & 1) != 0 : other;
    }
}
