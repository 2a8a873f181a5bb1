package io.tokengate.core.limits;

import io.tokengate.core.request.RequestView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the {@code QueryParam} conditions of all rules together: per parameter name, one {@link
 * LazyDfa} over the union of the regexes that rules require of it, so that each value is read
 * once however many rules test it. A condition whose regex the DFA does not run, or any condition
 * while that DFA rests (see {@link LazyDfa}), is checked on its own, as without the index.
 */
final class QueryIndex {
    /** Largest union NFA per parameter name, in instructions. */
    static final int MAX_INSTRUCTIONS = 200_000;

    /** Memory of the union DFA of one parameter name, in ints (1 MiB). */
    static final long DFA_BUDGET = 256 * 1024;

    private final List<Union> unions;
    private final Map<QueryParamCondition, Slot> slots;

    private QueryIndex(List<Union> unions, Map<QueryParamCondition, Slot> slots) {
        this.unions = unions;
        this.slots = slots;
    }

    /** The regexes required of parameter {@code name}, as one DFA. */
    private record Union(String name, LazyDfa dfa) {}

    /** Where a condition is answered: its regex is match id {@code id} of union {@code union}. */
    private record Slot(int union, int id) {}

    /** The index of the query conditions of {@code rules}; empty when the DFA runs none of their regexes. */
    static Optional<QueryIndex> of(List<Rule> rules) {
        Map<String, Map<Regex, Integer>> regexes = new LinkedHashMap<>();
        for (Rule rule : rules) {
            for (Condition part : rule.parts()) {
                if (part instanceof QueryParamCondition q && q.regex().tree().isPresent()) {
                    Map<Regex, Integer> ids = regexes.computeIfAbsent(q.name(), name -> new LinkedHashMap<>());
                    ids.putIfAbsent(q.regex(), ids.size());
                }
            }
        }
        List<Union> unions = new ArrayList<>();
        Map<String, Integer> unionOf = new HashMap<>();
        regexes.forEach((name, ids) -> {
            List<Optional<RegexNode>> trees = new ArrayList<>();
            ids.keySet().forEach(regex -> trees.add(regex.tree()));
            Program.compile(trees, MAX_INSTRUCTIONS).ifPresent(program -> {
                unionOf.put(name, unions.size());
                unions.add(new Union(name, new LazyDfa(program, DFA_BUDGET)));
            });
        });
        // Conditions are immutable and compared by identity: a lookup costs no string hashing.
        Map<QueryParamCondition, Slot> slots = new IdentityHashMap<>();
        for (Rule rule : rules) {
            for (Condition part : rule.parts()) {
                if (part instanceof QueryParamCondition q && unionOf.containsKey(q.name())) {
                    Integer id = regexes.get(q.name()).get(q.regex());
                    if (id != null) {
                        slots.put(q, new Slot(unionOf.get(q.name()), id));
                    }
                }
            }
        }
        return unions.isEmpty() ? Optional.empty() : Optional.of(new QueryIndex(List.copyOf(unions), slots));
    }

    /** Whether the DFA for parameter {@code name}'s regexes rests; false when there is none. */
    boolean resting(String name) {
        return unions.stream()
                .anyMatch(union -> union.name().equals(name) && union.dfa().resting());
    }

    /** Checks parts for one evaluation of {@code request}, reading each parameter's values at most once. */
    Rule.PartCheck answers(RequestView request) {
        return new Answers(request);
    }

    /**
     * Per evaluation, per parameter name: which regexes match every value. Not thread-safe; it
     * lives for one evaluation. A failure to read the values is not remembered, so it fails each
     * condition that asks, as it would without the index.
     */
    private final class Answers implements Rule.PartCheck {
        /** Stands for "ask the condition itself": the DFA rests. */
        private static final long[] UNKNOWN = new long[0];

        private final RequestView request;
        private final long[][] matching = new long[unions.size()][];

        Answers(RequestView request) {
            this.request = request;
        }

        @Override
        public boolean holds(Condition part) {
            Slot slot = part instanceof QueryParamCondition ? slots.get(part) : null;
            if (slot != null) {
                long[] bits = matching[slot.union()];
                if (bits == null) {
                    Union union = unions.get(slot.union());
                    bits = everyValueMatches(union, request.queryValues(union.name()));
                    matching[slot.union()] = bits;
                }
                if (bits != UNKNOWN) {
                    int id = slot.id();
                    return id / 64 < bits.length && (bits[id / 64] >>> id & 1) != 0;
                }
            }
            return part.matches(request);
        }

        /** The ids of the regexes that match all of {@code values} (none when there are no values). */
        private long[] everyValueMatches(Union union, List<String> values) {
            long[] all = null;
            for (String value : values) {
                LazyDfa.State end = union.dfa().run(value);
                if (end == null) {
                    return UNKNOWN;
                }
                if (end.matches() == null) {
                    return new long[0];
                }
                if (all == null) {
                    all = end.matches().clone();
                } else {
                    for (int i = 0; i < all.length; i++) {
                        all[i] &= end.matches()[i];
                    }
                }
            }
            return all == null ? new long[0] : all;
        }
    }
}
