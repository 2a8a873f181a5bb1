package io.tokengate.core.limits;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a {@link Program} as a DFA whose states are built the first time an input reaches them.
 * A state is the set of NFA instructions alive at a point of the input; it accepts the match ids
 * of the regexes that match everything read so far in full. No priorities are kept: only which
 * regexes match, never where a submatch is.
 *
 * <p>Memory is bounded: states cost their NFA set plus a transition per symbol class, counted
 * against {@code budget} (in ints). When the budget runs out the DFA drops every state and starts
 * a new generation, as RE2's DFA resets its cache, so that inputs of many shapes seen over a
 * server's life cost a rebuild now and then, not the DFA for good. A generation that spends the
 * budget within {@link #REST_NANOS} of its start is thrashing instead (inputs keep reaching new
 * states, by chance or on purpose): the DFA then rests for that time, answering {@code null}, and
 * the caller falls back to its reference matcher meanwhile. So a DFA builds at most one budget of
 * states per rest time, answers are never wrong, and memory never grows past the budget. A
 * single state larger than the whole budget could never be built: the DFA then answers {@code
 * null} for good.
 *
 * <p>Thread-safe: matching reads transitions without locking; a missing transition is built under
 * the lock. A racy read of a transition sees either null (then the lock is taken) or a {@link
 * State} whose fields are all final, so it sees that state complete. A thread still walking the
 * states dropped by a reset stays right: a state stands for its NFA set whichever generation it
 * belongs to, and a transition it lacks is built into the new generation.
 */
final class LazyDfa {
    /** The shortest life of a generation of states, and how long a DFA rests after a shorter one. */
    static final long REST_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Program program;
    private final int[] classOf;
    private final Closure closure;
    private final long budget;
    private final LongSupplier nanoTime;
    private final Map<Key, State> states = new HashMap<>();
    /** Budget left in the current generation of states; guarded by {@code this}. */
    private long left;
    /** {@link #nanoTime} when the current generation began; guarded by {@code this}. */
    private long bornAt;
    /** Generations begun, the first included; guarded by {@code this}. */
    private int generations;
    /** While resting, the {@link #nanoTime} when the next generation may begin. */
    private volatile long restUntil;
    /** A state did not fit into a whole budget: null answers for good. */
    private volatile boolean hopeless;
    /** The start state of the current generation; null while resting, and for good when hopeless. */
    private volatile State start;

    LazyDfa(Program program, long budget) {
        this(program, budget, System::nanoTime);
    }

    /** With {@code nanoTime} as the clock of the rest time (tests). */
    LazyDfa(Program program, long budget, LongSupplier nanoTime) {
        this.program = program;
        this.classOf = new int[SymbolSet.COUNT];
        for (int symbol = 0; symbol < SymbolSet.COUNT; symbol++) {
            classOf[symbol] = program.classOf(symbol);
        }
        this.closure = new Closure(program);
        this.budget = budget;
        this.nanoTime = nanoTime;
        synchronized (this) {
            begin(nanoTime.getAsLong());
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
     * that match {@code input} in full. Null when the DFA rests (see the class comment); ask the
     * reference matcher then. Code points, not chars, are the unit, as RE2/J reads a String (a lone
     * surrogate counts as one code point).
     */
    State run(String input) {
        State state = start;
        if (state == null && (state = awake()) == null) {
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

    /** Whether the DFA rests now (or for good), so that every answer is null. */
    boolean resting() {
        return start == null && asleep();
    }

    /** Whether no generation may begin now: for good, or until the rest is over. */
    private boolean asleep() {
        return hopeless || nanoTime.getAsLong() - restUntil < 0;
    }

    /** Generations of states begun so far: 1 until the budget is first spent. */
    synchronized int generations() {
        return generations;
    }

    /** The start state of a new generation if the rest is over; null while resting. */
    private State awake() {
        if (asleep()) {
            return null;
        }
        synchronized (this) {
            if (start == null && !asleep()) {
                begin(nanoTime.getAsLong());
            }
            return start;
        }
    }

    /** Begins a generation: an empty budget and the start state, or hopeless if that cannot fit. */
    private void begin(long now) {
        states.clear();
        left = budget;
        bornAt = now;
        generations++;
        int[] starts = closure.of(program.starts());
        start = cost(starts) > budget ? null : intern(starts);
        hopeless = start == null;
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

    /**
     * The state for a closed, sorted instruction set. Past the budget, every state is dropped and
     * a new generation begins, unless the current one is too young: then the DFA rests, and the
     * answer is null. Null too if the state could not fit even a new generation.
     */
    private State intern(int[] instructions) {
        Key key = new Key(instructions);
        State state = states.get(key);
        if (state != null) {
            return state;
        }
        long cost = cost(instructions);
        if (cost > left) {
            long now = nanoTime.getAsLong();
            states.clear();
            start = null;
            if (now - bornAt < REST_NANOS) {
                restUntil = now + REST_NANOS;
                return null;
            }
            begin(now);
            if (start == null || cost > left) {
                hopeless = true;
                start = null;
                states.clear();
                return null;
            }
            if ((state = states.get(key)) != null) {
                return state; // the new start state
            }
        }
        left -= cost;
        state = new State(instructions, closure.matches(instructions), program.classCount());
        states.put(key, state);
        return state;
    }

    /** What a state of these instructions costs the budget, in ints. */
    private long cost(int[] instructions) {
        return instructions.length + program.classCount() + 8L;
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
