package io.tokengate.server.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One setting as it is in force: its value (the default when not set) and where it came from.
 * {@link #toString()} and {@link #shownValue()} never show a secret's value.
 */
public record EffectiveSetting(Key key, String value, String source) {
    public static final String MASK = "********";
    /**
     * {@code //user:password@}: up to the authority's last {@code @}, so that a password holding
     * one is masked whole, not from its own {@code @} on.
     */
    private static final Pattern URL_USER_INFO = Pattern.compile("//[^/?#\\s]*:[^/?#\\s]*@");

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(?<=password=)[^&;]+");

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
        return withoutCredentials(value);
    }

    /** {@code value} with the credentials a URL may embed masked. */
    static String withoutCredentials(String value) {
        String withoutUserInfo = URL_USER_INFO.matcher(value).replaceAll("//" + MASK + "@");
        return URL_PASSWORD.matcher(withoutUserInfo).replaceAll(MASK);
    }

    /** Whether {@code value}, a URL, embeds a password. */
    static boolean carriesPassword(String value) {
        return URL_USER_INFO.matcher(value).find()
                || URL_PASSWORD.matcher(value).find();
    }

    @Override
    public String toString() {
        return key.key() + "=" + shownValue() + " (" + source + ")";
    }
}
