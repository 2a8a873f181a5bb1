package io.tokengate.core.limits;

import java.util.Arrays;

/**
 * Epsilon closures over a {@link Program}: from a set of instructions, every instruction reachable
 * through splits, keeping those that read a symbol or accept. Not thread-safe; {@link LazyDfa}
 * calls it under its lock.
 */
final class Closure {
    private final Program program;
    private final int[] seen;
    private final int[] stack;
    private final int[] kept;
    private int generation;

    Closure(Program program) {
        this.program = program;
        this.seen = new int[program.size()];
        this.stack = new int[program.size()];
        this.kept = new int[program.size()];
    }

    /** The closure of {@code from} as a sorted set of {@link Program#SYMBOLS} and {@link Program#MATCH} instructions. */
    int[] of(int[] from) {
        generation++;
        int count = 0;
        int top = 0;
        for (int pc : from) {
            top = push(pc, top);
        }
        while (top > 0) {
            int pc = stack[--top];
            if (program.kind(pc) == Program.SPLIT) {
                top = push(program.out(pc), top);
                top = push(program.out1(pc), top);
            } else {
                kept[count++] = pc;
            }
        }
        int[] set = Arrays.copyOf(kept, count);
        Arrays.sort(set);
        return set;
    }

    /** The match ids accepted by a closed set, as a bit set over ids; null when none. */
    long[] matches(int[] closed) {
        long[] ids = null;
        for (int pc : closed) {
            if (program.kind(pc) == Program.MATCH) {
                if (ids == null) {
                    ids = new long[(program.matchIds() + 63) / 64];
                }
                int id = program.out(pc);
                ids[id / 64] |= 1L << id;
            }
        }
        return ids;
    }

    private int push(int pc, int top) {
        if (seen[pc] == generation) {
            return top;
        }
        seen[pc] = generation;
        stack[top] = pc;
        return top + 1;
    }
}
