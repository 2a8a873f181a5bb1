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
    /** Names (lower case) of users deactivated: still in the directory, but refused at sign-in. */
    private final Set<String> deactivated = ConcurrentHashMap.newKeySet();

    Directory(List<DemoUser> users) {
        users.forEach(this::put);
    }

    /** Adds {@code user}, or replaces the user of that name (and e-mail address). */
    void put(DemoUser user) {
        removed.remove(user.name().toLowerCase(Locale.ROOT));
        removed.remove(user.email().toLowerCase(Locale.ROOT));
        deactivated.remove(user.name().toLowerCase(Locale.ROOT));
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

    /**
     * Deactivates the user {@code name}, as Jira does: they stay in the directory, and {@code GET
     * /rest/api/2/user} shows them with {@code "active": false}, but no request may act as them.
     * A name the directory lacks is added as a plain user first, since this directory takes any
     * name for a user. {@link #put} activates them again.
     */
    void deactivate(String name) {
        DemoUser user = find(name).orElseGet(() -> {
            Person plain = Person.unknown(name);
            return new DemoUser(plain.name(), "unused-" + plain.name(), plain.email(), plain.displayName(), false);
        });
        put(user);
        deactivated.add(user.name().toLowerCase(Locale.ROOT));
    }

    /** Whether the user {@code nameOrEmail} names is deactivated. */
    boolean deactivated(String nameOrEmail) {
        return find(nameOrEmail)
                .map(user -> deactivated.contains(user.name().toLowerCase(Locale.ROOT)))
                .orElse(false);
    }

    /** Whether no request may act as {@code nameOrEmail}: deleted or deactivated. */
    boolean refused(String nameOrEmail) {
        return removed(nameOrEmail) || deactivated(nameOrEmail);
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
