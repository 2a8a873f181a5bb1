package io.tokengate.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings that take a URL ({@code upstream.url}, {@code gateway.public.url}, {@code
 * admin.public.url}): an http(s) URL with a host and nothing else. One with a user name or password
 * is refused, and the messages never quote them: credentials in a URL would travel in every
 * forwarded request's {@code Host} and stand in the log; Jira's belong in {@code
 * upstream.identity}.
 */
final class UrlSettings {
    /** What stands between {@code //} and the last {@code @} of the authority, user info or not. */
    private static final Pattern USER_INFO = Pattern.compile("^([^/]*//)[^/?#]*@");

    private UrlSettings() {}

    /** {@code gateway.public.url}: no query or fragment either; without a trailing slash. */
    static Optional<String> publicUrl(ConfigValues values, String text) {
        Optional<URI> uri = httpUrl(values, Key.GATEWAY_PUBLIC_URL, text);
        if (uri.isPresent() && (uri.get().getRawQuery() != null || uri.get().getRawFragment() != null)) {
            values.problem(
                    Key.GATEWAY_PUBLIC_URL, "gateway.public.url: '" + text + "' must not have a query or fragment");
        }
        return uri.map(u -> text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** {@code text}, the value of {@code key}, as an http(s) URL with a host and no user info. */
    static Optional<URI> httpUrl(ConfigValues values, Key key, String text) {
        String shown = USER_INFO.matcher(text).replaceFirst("$1…@");
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawUserInfo() != null) {
                values.problem(
                        key,
                        key.key() + ": '" + shown + "' holds a user name or password, which would be sent"
                                + " and logged with every request; give Jira's credentials with"
                                + " upstream.identity=service-account instead");
                return Optional.empty();
            }
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                values.problem(key, key.key() + ": '" + shown + "' is not an http(s) URL with a host");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            values.problem(key, key.key() + ": '" + shown + "' is not a URL (" + e.getReason() + ")");
            return Optional.empty();
        }
    }
}
