package io.tokengate.demo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;

/** The user and password of a single {@code Authorization: Basic} header. */
record BasicCredentials(String user, String password) {

    /** Empty unless there is exactly one Authorization header and it is well-formed Basic. */
    static Optional<BasicCredentials> of(HttpFields headers) {
        return AuthorizationHeader.credentials(headers, "basic").flatMap(BasicCredentials::decode);
    }

    private static Optional<BasicCredentials> decode(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0
                ? Optional.empty()
                : Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    byte[] bytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=redacted]";
    }
}
