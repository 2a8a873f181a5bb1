package io.tokengate.core;

import java.util.Optional;
import java.util.function.Predicate;

/** A failure's chain of causes, searched: the exception itself first, then each cause in turn. */
public final class Causes {
    /** How far a chain is followed: a cycle, or an absurdly deep chain, ends there. */
    static final int MAX_DEPTH = 16;

    private Causes() {}

    /** {@code e} or the first of its causes that is a {@code kind}. */
    public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> kind) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (kind.isInstance(t)) {
                return Optional.of(kind.cast(t));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code e} or one of its causes passes {@code test}. */
    public static boolean any(Throwable e, Predicate<Throwable> test) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
