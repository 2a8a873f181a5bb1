package io.tokengate.core.limits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which rules' URL regexes match a URL, found in one pass over the URL instead of one per rule:
 * a {@link LazyDfa} over the union of the URL regexes (as RE2::Set does), whose states carry the
 * rules that match. Rules whose URL regex the DFA does not run are asked one by one, through
 * RE2/J. Rules whose method list excludes the request's method are then set aside, so that
 * what remains are the rules whose first two parts hold.
 *
 * <p>Memory is bounded by {@link #DFA_BUDGET}. When it is spent the DFA starts again with no
 * states; while it rests (see {@link LazyDfa}), {@link #matching} answers null and limits are
 * evaluated rule after rule, as without an index.
 */
final class RuleIndex {
    /** Largest union NFA, in instructions (about 5000 rules of realistic size). */
    static final int MAX_INSTRUCTIONS = 500_000;

    /**
     * Memory of the union DFA, in ints (16 MiB). A state holds about two instructions per rule
     * whose regex starts with {@code .*}, so 1000 such rules leave room for about 2000 states
     * before it starts again: the flood of {@code LimitsRecoveryBenchmark}, URLs like the rules'
     * with random project keys and numbers, spends it in about 2200 requests for one shape of 1000
     * rules and 400 for another. Limits of a few dozen rules never come near it.
     */
    static final long DFA_BUDGET = 4L * 1024 * 1024;

    private static final long[] NONE = new long[0];

    private final List<Rule> rules;
    private final LazyDfa dfa;
    private final List<Integer> outsideDfa;
    private final Map<String, long[]> byMethod;
    private final long[] anyMethod;

    private RuleIndex(List<Rule> rules, LazyDfa dfa, List<Integer> outsideDfa) {
        this.rules = rules;
        this.dfa = dfa;
        this.outsideDfa = outsideDfa;
        this.anyMethod = new long[words(rules)];
        Map<String, long[]> byMethod = new HashMap<>();
        for (String method : MethodCondition.KNOWN) {
            byMethod.put(method, new long[words(rules)]);
        }
        for (int position = 0; position < rules.size(); position++) {
            MethodCondition methods = methodsOf(rules.get(position));
            for (String method : methods == null ? MethodCondition.KNOWN : methods.methods()) {
                byMethod.get(method)[position / 64] |= 1L << position;
            }
            if (methods == null) {
                anyMethod[position / 64] |= 1L << position;
            }
        }
        this.byMethod = byMethod;
    }

    private static MethodCondition methodsOf(Rule rule) {
        for (Condition part : rule.parts()) {
            if (part instanceof MethodCondition methods) {
                return methods;
            }
        }
        return null;
    }

    private static int words(List<Rule> rules) {
        return (rules.size() + 63) / 64;
    }

    /** The index of {@code rules}; empty when the DFA would run none of their URL regexes or the union is too large. */
    static Optional<RuleIndex> of(List<Rule> rules) {
        List<Optional<RegexNode>> trees = new ArrayList<>(rules.size());
        List<Integer> outsideDfa = new ArrayList<>();
        for (int position = 0; position < rules.size(); position++) {
            Optional<RegexNode> tree = rules.get(position).url().regex().tree();
            trees.add(tree);
            if (tree.isEmpty()) {
                outsideDfa.add(position);
            }
        }
        if (outsideDfa.size() == rules.size()) {
            return Optional.empty();
        }
        return Program.compile(trees, MAX_INSTRUCTIONS)
                .map(program -> new RuleIndex(rules, new LazyDfa(program, DFA_BUDGET), List.copyOf(outsideDfa)));
    }

    /**
     * The rules that allow {@code method} (or name none) and whose URL regex matches all of
     * {@code url}, as a bit set over rule positions (0-based; bit {@code i} of word {@code i /
     * 64}). Null while the DFA rests.
     */
    long[] matching(String url, String method) {
        LazyDfa.State end = dfa.run(url);
        if (end == null) {
            return null;
        }
        long[] viaDfa = end.matches();
        if (viaDfa == null && outsideDfa.isEmpty()) {
            return NONE;
        }
        long[] all = viaDfa == null ? new long[words(rules)] : viaDfa.clone();
        for (int position : outsideDfa) {
            if (rules.get(position).url().regex().matchesFully(url)) {
                all[position / 64] |= 1L << position;
            }
        }
        long[] allowing = byMethod.getOrDefault(method, anyMethod);
        for (int i = 0; i < all.length; i++) {
            all[i] &= allowing[i];
        }
        return all;
    }

    /** Whether the DFA rests, so that every answer is null. */
    boolean resting() {
        return dfa.resting();
    }

    /** The first position at or after {@code from} in {@code positions}, or -1. */
    static int next(long[] positions, int from) {
        int word = from / 64;
        if (word >= positions.length) {
            return -1;
        }
        long bits = positions[word] & (-1L << from);
        while (bits == 0) {
            if (++word == positions.length) {
                return -1;
            }
            bits = positions[word];
        }
        return word * 64 + Long.numberOfTrailingZeros(bits);
    }
}
