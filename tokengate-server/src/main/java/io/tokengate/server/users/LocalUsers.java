package io.tokengate.server.users;

import io.tokengate.core.Sha256;
import io.tokengate.core.Unseen;
import io.tokengate.core.request.Quote;
import io.tokengate.core.token.SecretScanner;
import io.tokengate.store.JdbcUserStore;
import io.tokengate.store.NewUser;
import io.tokengate.store.StoreConflictException;
import io.tokengate.store.User;
import io.tokengate.store.UserRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Local users of the admin plane ({@code identity.source = local}): the {@code users} table, with
 * passwords hashed by {@link PasswordHasher}. Used by the REST API ({@code /api/v1/users}) and
 * meant for the command line ({@code tokengate user add|list|edit|passwd|remove}) and {@code tokengate demo}.
 *
 * <pre>{@code
 * LocalUsers users = new LocalUsers(store.users(), new PasswordHasher());
 * users.ensureAdmin("admin", password);   // demo: creates the admin once, never changes it
 * }</pre>
 *
 * <p>Thread-safe. Passwords are taken as {@code char[]} and never kept; callers may clear them.
 */
public final class LocalUsers implements IdentitySource {
    /** Shortest password accepted for a new user. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    public static final String SOURCE = "local";
    /** Most groups a local user may be in. */
    public static final int MAX_GROUPS = 100;

    private static final int MAX_PASSWORD_LENGTH = 1024;
    /** Characters a user name cannot hold: the server refuses them in a URL path, even percent-encoded. */
    private static final char[] URL_PATH_UNSAFE = {'/', '\\', '%'};

    private final JdbcUserStore users;
    private final PasswordHasher hasher;
    private final String decoy;

    public LocalUsers(JdbcUserStore users, PasswordHasher hasher) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        // Verified against when the user does not exist, so that an unknown name costs as much as
        // a wrong password and response times do not tell which names exist. Not a hash of a
        // password: hashing one took over half the time of every offline CLI command.
        this.decoy = hasher.decoy();
    }

    @Override
    public Optional<Principal> authenticate(String user, char[] password) {
        if (user == null || password == null || password.length > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        Optional<User> found = users.find(user.strip());
        if (found.isEmpty() || found.get().passwordHash() == null) {
            hasher.verify(password, decoy);
            return Optional.empty();
        }
        User u = found.get();
        return hasher.verify(password, u.passwordHash()) ? Optional.of(principal(u)) : Optional.empty();
    }

    @Override
    public Optional<Principal> refresh(Principal signedIn) {
        return users.find(signedIn.name()).map(LocalUsers::principal);
    }

    /**
     * The user as stored now; the stamp is a digest of the account's id and password hash, so it
     * changes with a new account of the same name and with a new password, and cannot be checked
     * against a password.
     */
    @Override
    public Optional<Standing> standing(Principal verified) {
        return users.find(verified.name().strip())
                .filter(user -> user.passwordHash() != null)
                .map(user -> new Standing(principal(user), stamp(user)));
    }

    private static String stamp(User user) {
        return Sha256.hex(user.id() + "\0" + user.passwordHash());
    }

    @Override
    public String label() {
        return SOURCE;
    }

    /**
     * Adds a user who signs in with {@code password}.
     *
     * @throws InvalidUserException naming the field that is not acceptable
     * @throws StoreConflictException when the name or e-mail is taken
     */
    public User add(String name, String email, String displayName, UserRole role, char[] password) {
        return add(name, email, displayName, role, List.of(), password);
    }

    /**
     * Adds a user in {@code groups} who signs in with {@code password}.
     *
     * @throws InvalidUserException naming the field that is not acceptable
     * @throws StoreConflictException when the name or e-mail is taken
     */
    public User add(
            String name, String email, String displayName, UserRole role, List<String> groups, char[] password) {
        String checkedName = name(name);
        List<String> checkedGroups = groups(groups);
        String checkedEmail = email(email);
        String checkedDisplayName = displayName(displayName);
        if (role == null) {
            throw new InvalidUserException("role", "must be admin or user");
        }
        checkPassword(password);
        return users.add(
                new NewUser(checkedName, checkedEmail, checkedDisplayName, role, hasher.hash(password), checkedGroups));
    }

    /** The password policy of {@link #add} and {@link #setPassword}. */
    private static void checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new InvalidUserException("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters long");
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            throw new InvalidUserException("password", "must be at most " + MAX_PASSWORD_LENGTH + " characters long");
        }
    }

    /**
     * Sets a local user's password, under the same rules as {@link #add}.
     *
     * @return false when there is no such user
     */
    public boolean setPassword(String name, char[] password) {
        checkPassword(password);
        return users.find(name)
                .map(u -> users.setPasswordHash(u.name(), hasher.hash(password)))
                .orElse(false);
    }

    /**
     * Creates the admin user {@code name} with {@code password} unless a user of that name exists
     * already, whose password and role are then left as they are (so a restart of {@code
     * tokengate demo} never resets a password someone changed). Safe to call on several nodes at
     * once.
     *
     * @return true when the user was created
     * @throws InvalidUserException when the name or password is not acceptable (a password needs
     *     at least {@value #MIN_PASSWORD_LENGTH} characters)
     */
    public boolean ensureAdmin(String name, char[] password) {
        if (users.find(name(name)).isPresent()) {
            return false;
        }
        try {
            add(name, null, null, UserRole.ADMIN, password);
            return true;
        } catch (StoreConflictException e) {
            return false; // another node created it meanwhile
        }
    }

    /**
     * Changes a local user's role, or replaces their groups ({@code runas.groups} may name them),
     * or both: all of it or nothing.
     *
     * @return false when there is no such user
     * @throws InvalidUserException when a group name is not acceptable
     */
    public boolean edit(String name, Optional<UserRole> role, Optional<List<String>> groups) {
        return users.edit(name, role, groups.map(LocalUsers::groups));
    }

    /** @return false when there is no such user */
    public boolean remove(String name) {
        return users.remove(name);
    }

    public Optional<User> find(String nameOrEmail) {
        return users.find(nameOrEmail);
    }

    /** The user named {@code name}, not one who has it as their e-mail. */
    public Optional<User> findNamed(String name) {
        return users.findNamed(name);
    }

    /** Every local user, by name. */
    public List<User> list() {
        return users.list();
    }

    private static Principal principal(User user) {
        return new Principal(user.name(), user.role(), SOURCE);
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidUserException("name", "must not be blank");
        }
        String stripped = name.strip();
        refuseSecret("name", stripped);
        if (stripped.length() > 255) {
            throw new InvalidUserException("name", "is " + stripped.length() + " characters long (at most 255)");
        }
        if (stripped.indexOf(':') >= 0) {
            throw new InvalidUserException(
                    "name", "'" + Quote.shorten(stripped) + "' contains ':', which a Basic user name cannot");
        }
        // A user is managed at /users/{name}: refused here what no URL path can carry there intact.
        for (char c : URL_PATH_UNSAFE) {
            if (stripped.indexOf(c) >= 0) {
                throw new InvalidUserException(
                        "name",
                        "'" + Quote.shorten(stripped) + "' contains '" + c
                                + "', which the admin API's URLs (/users/{name}) cannot carry");
            }
        }
        if (stripped.equals(".") || stripped.equals("..")) {
            throw new InvalidUserException(
                    "name",
                    "'" + stripped + "' cannot be a user name: the admin API's URLs (/users/{name}) read it as a step");
        }
        Optional<String> unseen = Unseen.find(stripped);
        if (unseen.isPresent()) {
            throw new InvalidUserException(
                    "name", "contains " + unseen.get() + ", which would let it pass for another name");
        }
        return stripped;
    }

    /**
     * Group names as given, stripped: not blank, at most 255 characters, no control character and
     * no ',' (which separates the names of {@code runas.groups}).
     */
    private static List<String> groups(List<String> groups) {
        if (groups == null) {
            return List.of();
        }
        if (groups.size() > MAX_GROUPS) {
            throw new InvalidUserException("groups", "are " + groups.size() + " (at most " + MAX_GROUPS + ")");
        }
        List<String> checked = new ArrayList<>(groups.size());
        for (String group : groups) {
            String stripped = group == null ? "" : group.strip();
            refuseSecret("groups", stripped);
            if (stripped.isEmpty()
                    || stripped.length() > 255
                    || stripped.indexOf(',') >= 0
                    || Unseen.find(stripped).isPresent()) {
                throw new InvalidUserException(
                        "groups",
                        "'" + Quote.shorten(stripped) + "' is not a group name"
                                + " (1 to 255 characters, no ',', control or invisible characters)");
            }
            checked.add(stripped);
        }
        return checked;
    }

    private static String email(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String stripped = email.strip();
        refuseSecret("email", stripped);
        if (stripped.length() > 320
                || stripped.indexOf('@') < 1
                || stripped.chars().anyMatch(Character::isWhitespace)
                || Unseen.find(stripped).isPresent()) {
            throw new InvalidUserException("email", "'" + Quote.shorten(stripped) + "' is not an e-mail address");
        }
        return stripped;
    }

    private static String displayName(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return null;
        }
        String stripped = displayName.strip();
        refuseSecret("displayName", stripped);
        if (stripped.length() > 255 || Unseen.find(stripped).isPresent()) {
            throw new InvalidUserException(
                    "displayName", "must be at most 255 characters without control or invisible characters");
        }
        return stripped;
    }

    /**
     * What describes a user is stored as it is, listed by {@code GET /users}, shown in the web UI
     * and kept in backups: a token secret pasted there is refused, as in a token's fields, not kept
     * in the clear. Checked before the other rules, whose messages quote the text.
     */
    private static void refuseSecret(String field, String text) {
        if (SecretScanner.containsSecret(text)) {
            throw new InvalidUserException(field, SecretScanner.REFUSED);
        }
    }

    @Override
    public String toString() {
        return "LocalUsers[" + hasher + "]";
    }
}
