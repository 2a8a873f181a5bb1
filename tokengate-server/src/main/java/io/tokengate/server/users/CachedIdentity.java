package io.tokengate.server.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokengate.server.gateway.ProcessHmac;
import io.tokengate.server.users.IdentitySource.Standing;
import io.tokengate.store.UserRole;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * Remembers successful credential checks for a short time, so that a script calling the admin API
 * with Basic credentials pays the slow password hash (or the round trip to Jira) once per {@code
 * ttl}, not on every call. Entries are keyed by an HMAC of user name and password under a random
 * key that lives only in this process: neither the password nor anything that could be checked
 * against it offline is kept. Failures are never cached.
 *
 * <p>A remembered check still asks the source who the user is now ({@link
 * IdentitySource#standing}: one read of the user, no password hash), so that on every node a user
 * removed or demoted, by this node or another, loses what they had at their next call; and a
 * check is forgotten when the account's credentials changed (the name given to a new account, a
 * new password).
 */
public final class CachedIdentity implements IdentitySource {
    private final IdentitySource delegate;
    private final Duration ttl;
    private final ProcessHmac hmac = new ProcessHmac();
    private final Cache<String, Standing> verified;

    public CachedIdentity(IdentitySource delegate, Duration ttl) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.verified = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(ttl.isZero() ? Duration.ofNanos(1) : ttl)
                .build();
    }

    @Override
    public Optional<Principal> authenticate(String user, char[] password) {
        if (ttl.isZero() || user == null || password == null) {
            return delegate.authenticate(user, password);
        }
        String entry = hmac(user, password);
        Optional<Principal> remembered = recall(entry);
        return remembered.isPresent() ? remembered : check(entry, user, password);
    }

    @Override
    public Optional<Principal> remembered(String user, char[] password) {
        if (ttl.isZero() || user == null || password == null) {
            return Optional.empty();
        }
        return recall(hmac(user, password));
    }

    /**
     * The user as it is now, when the check remembered under {@code entry} still holds: the
     * account has the credentials it had then. A check that no longer holds is forgotten.
     */
    private Optional<Principal> recall(String entry) {
        Standing then = verified.getIfPresent(entry);
        if (then == null) {
            return Optional.empty();
        }
        Optional<Principal> now = delegate.standing(then.principal())
                .filter(standing -> standing.credentialStamp().equals(then.credentialStamp()))
                .map(Standing::principal);
        if (now.isEmpty()) {
            verified.invalidate(entry);
        }
        return now;
    }

    /** Checks the credentials with the source, and remembers them when they are right. */
    private Optional<Principal> check(String entry, String user, char[] password) {
        // Stamped before and after the check: the password was checked against a row read in
        // between, so only when both stamps agree is it the row of that stamp (a password changed
        // during the slow hash would otherwise be remembered with the new row's stamp).
        String before = stamp(new Principal(user, UserRole.USER, delegate.label()));
        Optional<Principal> principal = delegate.authenticate(user, password);
        if (principal.isPresent()) {
            String after = stamp(principal.get());
            if (after.equals(before)) {
                verified.put(entry, new Standing(principal.get(), after));
            }
        }
        return principal;
    }

    @Override
    public Optional<Standing> standing(Principal verified) {
        return delegate.standing(verified);
    }

    /** The stamp of the account as stored now; empty when it may not sign in. */
    private String stamp(Principal user) {
        return delegate.credentialStamp(user);
    }

    @Override
    public Optional<Principal> refresh(Principal signedIn) {
        return delegate.refresh(signedIn);
    }

    @Override
    public Renewal renew(Principal signedIn) {
        return delegate.renew(signedIn);
    }

    @Override
    public String label() {
        return delegate.label();
    }

    /** Forgets every remembered check, after users or passwords changed on this node. */
    public void invalidateAll() {
        verified.invalidateAll();
    }

    private String hmac(String user, char[] password) {
        return hmac.of(user, CharBuffer.wrap(password));
    }

    @Override
    public String toString() {
        return "CachedIdentity[" + delegate + ", ttl " + ttl + "]";
    }
}
