package io.tokengate.core.limits;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Thompson NFA for one or more regexes, each accepting with its own match id (its index in the
 * list compiled), and the partition of input symbols into classes that no instruction tells apart.
 * Immutable after construction.
 */
final class Program {
    static final int SYMBOLS = 0;
    static final int SPLIT = 1;
    static final int MATCH = 2;

    private final int[] kind;
    private final int[] out;
    private final int[] out1;
    private final SymbolSet[] symbols;
    private final int[] starts;
    private final int matchIds;
    private final int[] classOf;
    private final int[] representative;

    private Program(Builder builder, int[] starts, int matchIds) {
        int size = builder.size;
        this.kind = Arrays.copyOf(builder.kind, size);
        this.out = Arrays.copyOf(builder.out, size);
        this.out1 = Arrays.copyOf(builder.out1, size);
        this.symbols = Arrays.copyOf(builder.symbols, size);
        this.starts = starts;
        this.matchIds = matchIds;
        this.classOf = new int[SymbolSet.COUNT];
        this.representative = partition();
    }

    /**
     * Compiles {@code trees}: tree {@code i}, when present, accepts with match id {@code i}; an
     * absent tree never accepts. Empty when the program would exceed {@code maxInstructions}.
     */
    static Optional<Program> compile(List<Optional<RegexNode>> trees, int maxInstructions) {
        Builder builder = new Builder(maxInstructions);
        int[] starts = new int[trees.size()];
        int count = 0;
        try {
            for (int id = 0; id < trees.size(); id++) {
                if (trees.get(id).isPresent()) {
                    starts[count++] = builder.compile(trees.get(id).get(), builder.match(id));
                }
            }
        } catch (Builder.TooLarge e) {
            return Optional.empty();
        }
        return Optional.of(new Program(builder, Arrays.copyOf(starts, count), trees.size()));
    }

    int size() {
        return kind.length;
    }

    int kind(int pc) {
        return kind[pc];
    }

    /** The next instruction; for {@link #SPLIT} the first branch; for {@link #MATCH} the match id. */
    int out(int pc) {
        return out[pc];
    }

    /** The second branch of a {@link #SPLIT}. */
    int out1(int pc) {
        return out1[pc];
    }

    /** Whether {@link #SYMBOLS} instruction {@code pc} accepts the symbols of class {@code symbolClass}. */
    boolean accepts(int pc, int symbolClass) {
        return symbols[pc].contains(representative[symbolClass]);
    }

    /** Where matching starts: one entry per regex that has a tree. */
    int[] starts() {
        return starts.clone();
    }

    /** One more than the largest match id. */
    int matchIds() {
        return matchIds;
    }

    /** The class of input symbol {@code symbol} (an ASCII character or {@link SymbolSet#OTHER}). */
    int classOf(int symbol) {
        return classOf[symbol];
    }

    int classCount() {
        return representative.length;
    }

    /** Fills {@link #classOf} by refining one class by every distinct symbol set; returns a member per class. */
    private int[] partition() {
        Set<SymbolSet> distinct = new LinkedHashSet<>();
        for (int pc = 0; pc < kind.length; pc++) {
            if (kind[pc] == SYMBOLS) {
                distinct.add(symbols[pc]);
            }
        }
        int classes = 1;
        for (SymbolSet set : distinct) {
            int[] split = new int[classes * 2];
            Arrays.fill(split, -1);
            int next = 0;
            for (int symbol = 0; symbol < SymbolSet.COUNT; symbol++) {
                int key = classOf[symbol] * 2 + (set.contains(symbol) ? 1 : 0);
                if (split[key] < 0) {
                    split[key] = next++;
                }
                classOf[symbol] = split[key];
            }
            classes = next;
        }
        int[] members = new int[classes];
        for (int symbol = SymbolSet.COUNT - 1; symbol >= 0; symbol--) {
            members[classOf[symbol]] = symbol;
        }
        return members;
    }

    /** Emits instructions back to front: each node is compiled knowing where it continues. */
    private static final class Builder {
        private final int max;
        private int size;
        private int[] kind = new int[16];
        private int[] out = new int[16];
        private int[] out1 = new int[16];
        private SymbolSet[] symbols = new SymbolSet[16];

        Builder(int max) {
            this.max = max;
        }

        /** Returns the entry of {@code node}'s code, which continues at {@code next}. */
        int compile(RegexNode node, int next) {
            if (node instanceof RegexNode.Symbols s) {
                int pc = emit(SYMBOLS, next, -1);
                symbols[pc] = s.symbols();
                return pc;
            }
            if (node instanceof RegexNode.Concat c) {
                int entry = next;
                for (int i = c.parts().size() - 1; i >= 0; i--) {
                    entry = compile(c.parts().get(i), entry);
                }
                return entry;
            }
            if (node instanceof RegexNode.Alternation a) {
                List<RegexNode> alternatives = a.alternatives();
                int entry = compile(alternatives.get(alternatives.size() - 1), next);
                for (int i = alternatives.size() - 2; i >= 0; i--) {
                    entry = emit(SPLIT, compile(alternatives.get(i), next), entry);
                }
                return entry;
            }
            return repeat((RegexNode.Repeat) node, next);
        }

        /** {@code x{n,m}} is n copies of x, then m-n nested optional copies (or a loop when unbounded). */
        private int repeat(RegexNode.Repeat r, int next) {
            int entry;
            if (r.max() == RegexNode.Repeat.UNBOUNDED) {
                entry = emit(SPLIT, -1, next);
                int body = compile(r.body(), entry); // may grow the arrays: assign after
                out[entry] = body;
            } else {
                entry = next;
                for (int i = r.min(); i < r.max(); i++) {
                    entry = emit(SPLIT, compile(r.body(), entry), next);
                }
            }
            for (int i = 0; i < r.min(); i++) {
                entry = compile(r.body(), entry);
            }
            return entry;
        }

        int match(int id) {
            return emit(MATCH, id, -1);
        }

        private int emit(int k, int o, int o1) {
            if (size == max) {
                throw new TooLarge();
            }
            if (size == kind.length) {
                int capacity = Math.min(max, size * 2);
                kind = Arrays.copyOf(kind, capacity);
                out = Arrays.copyOf(out, capacity);
                out1 = Arrays.copyOf(out1, capacity);
                symbols = Arrays.copyOf(symbols, capacity);
            }
            kind[size] = k;
            out[size] = o;
            out1[size] = o1;
            return size++;
        }

        private static final class TooLarge extends RuntimeException {
            private static final long serialVersionUID = 1L;

            TooLarge() {
                super(null, null, false, false);
            }
        }
    }
}
