package io.tokengate.server.config;

import io.tokengate.core.TokengateException;
import java.util.List;

/** Configuration that cannot be used, with every problem found, not just the first. */
public final class ConfigException extends TokengateException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
