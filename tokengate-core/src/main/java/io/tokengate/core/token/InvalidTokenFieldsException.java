package io.tokengate.core.token;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Several token fields that are not acceptable at once, each as its own exception (an {@link
 * InvalidTokenSpecException}, {@link io.tokengate.core.limits.LimitsSyntaxException} or {@link
 * IpAllowListSyntaxException}), in the order of the fields, so that a form is corrected in one go
 * rather than one field per attempt. One field alone fails with its own exception, as before.
 * The message is the fields' messages, each starting with its field, joined by "; ", with any
 * token secret in them quoted as its hint.
 */
public final class InvalidTokenFieldsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<IllegalArgumentException> problems;

    InvalidTokenFieldsException(List<IllegalArgumentException> problems) {
        super(SecretScanner.redact(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("; "))));
        if (problems.size() < 2) {
            throw new IllegalArgumentException("several fields need at least two problems, got " + problems.size());
        }
        this.problems = List.copyOf(problems);
    }

    /** Each field's problem, first field first. */
    public List<IllegalArgumentException> problems() {
        return problems;
    }
}
