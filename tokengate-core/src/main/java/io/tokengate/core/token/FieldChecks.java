package io.tokengate.core.token;

import io.tokengate.core.limits.LimitsSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs the checks of a token's fields one after the other and keeps what each finds wrong, so that
 * every field's problem is reported at once: {@link #throwIfAny()} throws one problem as it is and
 * several as an {@link InvalidTokenFieldsException}. Only field problems are kept; anything else
 * a check throws passes through at once.
 */
final class FieldChecks {
    private final List<IllegalArgumentException> problems;

    FieldChecks() {
        problems = new ArrayList<>();
    }

    /** Goes on from the problems {@code before} found, leaving them as they are. */
    FieldChecks(FieldChecks before) {
        problems = new ArrayList<>(before.problems);
    }

    /** The check's value, or null when it found the field wrong (the problem is kept). */
    <T> T check(Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidTokenSpecException | LimitsSyntaxException | IpAllowListSyntaxException problem) {
            problems.add(problem);
            return null;
        }
    }

    void throwIfAny() {
        if (problems.size() == 1) {
            throw problems.get(0);
        }
        if (!problems.isEmpty()) {
            throw new InvalidTokenFieldsException(problems);
        }
    }
}
