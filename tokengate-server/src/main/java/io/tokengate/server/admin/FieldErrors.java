package io.tokengate.server.admin;

import io.tokengate.core.limits.LimitsSyntaxException;
import io.tokengate.core.token.InvalidTokenFieldsException;
import io.tokengate.core.token.InvalidTokenSpecException;
import io.tokengate.core.token.IpAllowListSyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The field errors of one request, gathered so that a 400 names every field at fault at once
 * (DESIGN §5's body with {@code errors}): each field is read and checked on its own, what fails is
 * kept and the reading goes on with a stand-in value. A field is reported once, with its first
 * problem, in the order of the request's fields however they were found. Anything but a field's
 * fault passes through at once.
 */
final class FieldErrors {
    private final List<ApiError> errors = new ArrayList<>();
    private final List<String> order;

    /** @param order the request's fields as a form shows them; the errors are reported in this order */
    FieldErrors(List<String> order) {
        this.order = List.copyOf(order);
    }

    /** The value {@code read} gives, or {@code standIn} when it finds its field wrong. */
    <T> T read(Supplier<T> read, T standIn) {
        try {
            return read.get();
        } catch (ApiError e) {
            if (e.fields().isEmpty()) {
                throw e;
            }
            add(e);
        } catch (InvalidTokenFieldsException
                | InvalidTokenSpecException
                | LimitsSyntaxException
                | IpAllowListSyntaxException e) {
            add(ApiHandler.toError(e));
        }
        return standIn;
    }

    /** Runs a check of several fields, keeping the problem of each. */
    void check(Runnable check) {
        read(
                () -> {
                    check.run();
                    return null;
                },
                null);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws the 400 of every field at fault, if any. */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(error -> {
                int at = order.indexOf(error.field());
                return at < 0 ? order.size() : at;
            }));
            throw ApiError.ofFields(errors);
        }
    }

    private void add(ApiError error) {
        for (ApiError field : error.fields()) {
            if (errors.stream().noneMatch(known -> known.field().equals(field.field()))) {
                errors.add(field);
            }
        }
    }
}
