package io.tokengate.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpFields;

/** The demo's users, found by name or e-mail, case-insensitively; changeable while it serves. */
final class Directory {
    private final Map<String, DemoUser> byNameOrEmail = new ConcurrentHashMap<>();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();

    Directory(List<DemoUser> users) {
        users.forEach(this::put);
    }

    /** Adds {@code user}, or replaces the user of that name (and e-mail address). */
    void put(DemoUser user) {
        removed.remove(user.name().toLowerCase(Locale.ROOT));
        removed.remove(user.email().toLowerCase(Locale.ROOT));
        byNameOrEmail.put(user.name().toLowerCase(Locale.ROOT), user);
        byNameOrEmail.put(user.email().toLowerCase(Locale.ROOT), user);
    }

    /**
     * Removes the user {@code name}, and refuses that name (or its e-mail address) from now on,
     * as Jira refuses a user deleted from it, though this directory accepts any other name.
     */
    void remove(String name) {
        find(name).ifPresent(user -> {
            byNameOrEmail.remove(user.name().toLowerCase(Locale.ROOT));
            byNameOrEmail.remove(user.email().toLowerCase(Locale.ROOT));
            removed.add(user.email().toLowerCase(Locale.ROOT));
        });
        removed.add(name.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code nameOrEmail} was {@link #remove}d (and not put back). */
    boolean removed(String nameOrEmail) {
        return removed.contains(nameOrEmail.toLowerCase(Locale.ROOT));
    }

    /** The user named by the request's Basic credentials, if name (or e-mail) and password match. */
    Optional<String> authenticate(HttpFields headers) {
        return BasicCredentials.of(headers).flatMap(credentials -> find(credentials.user())
                .filter(user -> MessageDigest.isEqual(
                        user.password().getBytes(StandardCharsets.UTF_8),
                        credentials.password().getBytes(StandardCharsets.UTF_8)))
                .map(DemoUser::name));
    }

    /** The profile of {@code nameOrEmail}: the directory's user if it has one, else a plain one. */
    Person person(String nameOrEmail) {
        return find(nameOrEmail).map(Person::of).orElseGet(() -> Person.unknown(nameOrEmail));
    }

    private Optional<DemoUser> find(String nameOrEmail) {
        return Optional.ofNullable(byNameOrEmail.get(nameOrEmail.toLowerCase(Locale.ROOT)));
    }
}
