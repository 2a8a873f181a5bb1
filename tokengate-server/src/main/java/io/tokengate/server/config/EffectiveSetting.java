package io.tokengate.server.config;

import java.util.Objects;

/**
 * One setting as it is in force: its value (the default when not set) and where it came from.
 * {@link #toString()} and {@link #shownValue()} never show a secret's value.
 */
public record EffectiveSetting(Key key, String value, String source) {
    public static final String MASK = "********";

    public EffectiveSetting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    /**
     * The value, or {@link #MASK} for a secret that is set; credentials embedded in a URL ({@code
     * //user:password@host}, {@code password=…}) are masked too.
     */
    public String shownValue() {
        if (key.secret() && !value.isEmpty()) {
            return MASK;
        }
        return value.replaceAll("//[^/@\\s]*:[^/@\\s]*@", "//" + MASK + "@")
                .replaceAll("(?i)(password=)[^&;]*", "$1" + MASK);
    }

    @Override
    public String toString() {
        return key.key() + "=" + shownValue() + " (" + source + ")";
    }
}
