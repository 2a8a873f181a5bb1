package io.tokengate.server.users;

import io.tokengate.store.UserRole;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The operator of a command-line session working offline on a home directory: whoever can read
 * the home's key file already controls every token, so the command line acts as an admin named
 * {@code cli/<os user>} (no colon: Basic credentials could not carry it), with a one-time random password that never leaves the process. The admin
 * API behind it is the same one a server runs, so validation, audit and output are the same.
 */
public final class OperatorIdentity implements IdentitySource {
    private final Principal operator;
    private final byte[] password;

    private OperatorIdentity(Principal operator, byte[] password) {
        this.operator = operator;
        this.password = password;
    }

    /** An operator named after the operating-system user, with a fresh 256-bit password. */
    public static OperatorIdentity forCurrentUser() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] password =
                Base64.getUrlEncoder().withoutPadding().encodeToString(random).getBytes(StandardCharsets.US_ASCII);
        return new OperatorIdentity(new Principal(currentUserName(), UserRole.ADMIN, "operator"), password);
    }

    /** How the audit log names the operating-system user running a command over the home: {@code cli/NAME}. */
    public static String currentUserName() {
        return "cli/" + System.getProperty("user.name", "operator").replace(':', '_');
    }

    public String name() {
        return operator.name();
    }

    /** The one-time password, for the process's own client. */
    public char[] password() {
        return new String(password, StandardCharsets.US_ASCII).toCharArray();
    }

    @Override
    public Optional<Principal> authenticate(String user, char[] candidate) {
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(candidate));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        boolean match = MessageDigest.isEqual(password, bytes);
        return match && operator.name().equals(user) ? Optional.of(operator) : Optional.empty();
    }

    @Override
    public Optional<Principal> refresh(Principal signedIn) {
        return signedIn.name().equals(operator.name()) ? Optional.of(operator) : Optional.empty();
    }

    @Override
    public String label() {
        return "operator";
    }

    @Override
    public String toString() {
        return "OperatorIdentity[" + operator.name() + "]";
    }
}
