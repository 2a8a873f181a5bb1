package io.tokengate.demo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/** Reads the {@code Authorization} header; a request carrying it more than once has none. */
final class AuthorizationHeader {
    private AuthorizationHeader() {}

    /** The credentials after the scheme, if there is exactly one header and it uses {@code scheme}. */
    static Optional<String> credentials(HttpFields headers, String scheme) {
        List<String> values = headers.getValuesList(HttpHeader.AUTHORIZATION);
        if (values.size() != 1) {
            return Optional.empty();
        }
        String value = values.get(0).strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals(scheme)) {
            return Optional.empty();
        }
        String credentials = value.substring(space + 1).strip();
        return credentials.isEmpty() ? Optional.empty() : Optional.of(credentials);
    }
}
