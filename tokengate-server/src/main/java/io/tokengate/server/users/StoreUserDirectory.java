package io.tokengate.server.users;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tokengate.server.gateway.UserDirectory;
import io.tokengate.store.JdbcUserStore;
import io.tokengate.store.UpstreamCredentials;
import io.tokengate.store.UserRole;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The data plane's view of the local user directory, cached for a short time (positive and
 * negative answers alike) so that requests do not wait on the database. Role and group changes
 * take effect at once on the node that made them, and within the cache lifetime on every other.
 */
public final class StoreUserDirectory implements UserDirectory {
    private final LoadingCache<String, Optional<DirectoryUser>> cache;

    public StoreUserDirectory(JdbcUserStore users, UpstreamCredentials credentials, Duration ttl) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(ttl)
                .build(name -> users.find(name)
                        .map(u -> new DirectoryUser(
                                u.name(),
                                u.email(),
                                u.role() == UserRole.ADMIN,
                                Set.copyOf(u.groups()),
                                credentials.of(u))));
    }

    @Override
    public Optional<DirectoryUser> find(String nameOrEmail) {
        return cache.get(nameOrEmail.toLowerCase(Locale.ROOT));
    }

    /** Forgets everything, after a change to users on this node. */
    public void invalidate() {
        cache.invalidateAll();
    }
}
