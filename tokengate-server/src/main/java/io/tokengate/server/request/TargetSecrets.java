package io.tokengate.server.request;

import io.tokengate.core.token.SecretScanner;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A token secret in a request target, as sent or percent-decoded (a secret scanner would find
 * either): the gateway refuses such a request with 400 before anything else looks at it, since the
 * secret is written to every access log the URL passes; dry runs refuse it the same.
 */
public final class TargetSecrets {
    private TargetSecrets() {}

    /** Whether {@code target} (path and query, or a whole URL) holds a token secret. */
    public static boolean in(String target) {
        if (target == null) {
            return false;
        }
        if (SecretScanner.containsSecret(target)) {
            return true;
        }
        try {
            return target.indexOf('%') >= 0
                    && SecretScanner.containsSecret(URLDecoder.decode(target, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false; // invalid escapes are refused later, with their own reason
        }
    }
}
