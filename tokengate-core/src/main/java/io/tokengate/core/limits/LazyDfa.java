package io.tokengate.core.limits;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a {@link Program} as a DFA whose states are built the first time an input reaches them.
 * A state is the set of NFA instructions alive at a point of the input; it accepts the match ids
 * of the regexes that match everything read so far in full. No priorities are kept: only which
 * regexes match, never where a submatch is.
 *
 * <p>Memory is bounded: states cost their NFA set plus a transition per symbol class, counted
 * against {@code budget} (in ints). When the budget runs out the DFA drops every state and answers
 * {@code null} from then on, and the caller falls back to its reference matcher: inputs that visit
 * many states can make answers as slow as before the DFA, never wrong, and never cost more memory.
 *
 * <p>Thread-safe: matching reads transitions without locking; a missing transition is built under
 * the lock. A racy read of a transition sees either null (then the lock is taken) or a {@link
 * State} whose fields are all final, so it sees that state complete.
 */
final class LazyDfa {
    private final Program program;
    private final int[] classOf;
    private final Closure closure;
    private final Map<Key, State> states = new HashMap<>();
    private long budget;
    private volatile State start;

    LazyDfa(Program program, long budget) {
        this.program = program;
        this.classOf = new int[SymbolSet.COUNT];
        for (int symbol = 0; symbol < SymbolSet.COUNT; symbol++) {
            classOf[symbol] = program.classOf(symbol);
        }
        this.closure = new Closure(program);
        this.budget = budget;
        synchronized (this) {
            this.start = intern(closure.of(program.starts()));
        }
    }

    /** One DFA state; {@link #matches} holds the ids it accepts, or null when it accepts none. */
    static final class State {
        private final int[] instructions;
        private final long[] matches;
        private final State[] next;

        private State(int[] instructions, long[] matches, int classes) {
            this.instructions = instructions;
            this.matches = matches;
            this.next = new State[classes];
            if (instructions.length == 0) {
                Arrays.fill(next, this); // dead: nothing can match any more
            }
        }

        /** The match ids accepted here as a bit set over ids; null when none. Never modify it. */
        long[] matches() {
            return matches;
        }
    }

    /**
     * The state after reading all of {@code input}: its {@link State#matches()} are the regexes
     * that match {@code input} in full. Null when the state budget is spent; ask the reference
     * matcher then. Code points, not chars, are the unit, as RE2/J reads a String (a lone surrogate
     * counts as one code point).
     */
    State run(String input) {
        State state = start;
        if (state == null) {
            return null;
        }
        int[] classes = classOf;
        int length = input.length();
        for (int i = 0; i < length; i++) {
            char c = input.charAt(i);
            int symbolClass;
            if (c < SymbolSet.OTHER) {
                symbolClass = classes[c];
            } else {
                symbolClass = classes[SymbolSet.OTHER];
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(input.charAt(i + 1))) {
                    i++;
                }
            }
            State next = state.next[symbolClass];
            if (next == null && (next = step(state, symbolClass)) == null) {
                return null;
            }
            state = next;
        }
        return state;
    }

    /** Whether the budget ran out, so that every answer is null. */
    boolean exhausted() {
        return start == null;
    }

    private synchronized State step(State from, int symbolClass) {
        if (start == null) {
            return null;
        }
        State known = from.next[symbolClass];
        if (known != null) {
            return known;
        }
        int[] targets = new int[from.instructions.length];
        int count = 0;
        for (int pc : from.instructions) {
            if (program.kind(pc) == Program.SYMBOLS && program.accepts(pc, symbolClass)) {
                targets[count++] = program.out(pc);
            }
        }
        State to = intern(closure.of(Arrays.copyOf(targets, count)));
        if (to != null) {
            from.next[symbolClass] = to;
        }
        return to;
    }

    /** The state for a closed, sorted instruction set; null, and every state dropped, past the budget. */
    private State intern(int[] instructions) {
        Key key = new Key(instructions);
        State state = states.get(key);
        if (state != null) {
            return state;
        }
        budget -= instructions.length + program.classCount() + 8L;
        if (budget < 0) {
            states.clear();
            start = null;
            return null;
        }
        state = new State(instructions, closure.matches(instructions), program.classCount());
        states.put(key, state);
        return state;
    }

    /** An instruction set as a map key. */
    private record Key(int[] instructions) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && Arrays.equals(instructions, that.instructions);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(instructions);
        }
    }
}
