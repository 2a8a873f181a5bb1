package io.tokengate.store;

import io.tokengate.core.token.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Users' own upstream credentials (for example Jira personal access tokens) for {@code
 * upstream.identity = user-credential}: sealed with AES-GCM under the key file, bound to the user
 * name, so a ciphertext moved to another user's row does not open. Tokens then become
 * restricted, revocable stand-ins for these credentials. Nothing here prints a credential.
 */
public final class UpstreamCredentials {
    /** Longest credential accepted; personal access tokens are far shorter. */
    public static final int MAX_LENGTH = 4096;

    private final JdbcUserStore users;
    private final SecretCipher cipher;

    UpstreamCredentials(JdbcUserStore users, SecretCipher cipher) {
        this.users = users;
        this.cipher = cipher;
    }

    private static byte[] context(String user) {
        return ("upstream-credential:" + user.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Stores {@code credential} for the existing user {@code name}.
     *
     * @return false when there is no such user
     * @throws IllegalArgumentException for an empty or oversized credential, or one with control
     *     characters or spaces (it travels in an HTTP header)
     */
    public boolean set(String name, char[] credential) {
        if (credential.length == 0 || credential.length > MAX_LENGTH) {
            throw new IllegalArgumentException("an upstream credential has 1 to " + MAX_LENGTH + " characters");
        }
        for (char c : credential) {
            if (c <= 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(
                        "an upstream credential is printable ASCII without spaces (it is sent as a Bearer token)");
            }
        }
        Optional<User> user = users.find(name);
        if (user.isEmpty()) {
            return false;
        }
        byte[] plain = new String(credential).getBytes(StandardCharsets.US_ASCII);
        return users.setUpstreamCredential(
                user.get().name(), cipher.seal(context(user.get().name()), plain));
    }

    /** Forgets the user's credential; false when there is no such user. */
    public boolean clear(String name) {
        return users.setUpstreamCredential(name, null);
    }

    /** The user's credential, decrypted; empty when none is stored. */
    public Optional<String> of(User user) {
        byte[] sealed = user.upstreamCredential();
        if (sealed == null) {
            return Optional.empty();
        }
        return Optional.of(new String(cipher.open(context(user.name()), sealed), StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "UpstreamCredentials[AES-GCM]";
    }
}
