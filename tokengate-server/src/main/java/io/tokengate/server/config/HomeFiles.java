package io.tokengate.server.config;

import io.tokengate.server.http.TrustedCertificates;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings that name a file or directory under the home: {@code log.dir}, resolved; the
 * planes' TLS keystores and {@code upstream.tls.ca}, opened and checked at load, so that a wrong
 * password or an expired certificate stops the start with the others' problems.
 */
final class HomeFiles {
    private HomeFiles() {}

    /** {@code log.dir} under the home, unless it is {@code none}. */
    static Optional<Path> logDir(ConfigValues values, Path home) {
        String dir = values.value(Key.LOG_DIR);
        if (dir.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        try {
            return Optional.of(home.resolve(dir));
        } catch (InvalidPathException e) {
            values.problem(Key.LOG_DIR, "log.dir: '" + dir + "' is not a directory name (" + e.getReason() + ")");
            return Optional.empty();
        }
    }

    /** A plane's keystore under the home, opened and checked; empty when not set. */
    static Optional<TlsKeystore> tls(ConfigValues values, Path home, Key keystoreKey, Key passwordKey) {
        String password = values.get(passwordKey).orElse("");
        if (values.get(keystoreKey).isEmpty() && !password.isEmpty()) {
            values.problem(passwordKey, passwordKey.key() + " is set but " + keystoreKey.key() + " is not");
        }
        return homeFile(
                values, home, keystoreKey, file -> TlsKeystore.open(keystoreKey.key(), file, password, Instant.now()));
    }

    /** {@code upstream.tls.ca} under the home, read and checked; empty when not set. */
    static Optional<TrustedCertificates> upstreamTrust(ConfigValues values, Path home) {
        return homeFile(
                values,
                home,
                Key.UPSTREAM_TLS_CA,
                file -> TrustedCertificates.load(Key.UPSTREAM_TLS_CA.key(), file, Instant.now()));
    }

    /**
     * The file {@code key} names under the home, read by {@code open}; empty when {@code key} is
     * not set, or when the file cannot be read, which {@code open} says by an {@link
     * IllegalArgumentException} whose message is the problem.
     */
    private static <T> Optional<T> homeFile(ConfigValues values, Path home, Key key, Function<Path, T> open) {
        Optional<String> name = values.get(key);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(open.apply(home.resolve(name.get())));
        } catch (InvalidPathException e) {
            values.problem(key, key.key() + ": '" + name.get() + "' is not a file name (" + e.getReason() + ")");
        } catch (IllegalArgumentException e) {
            values.problem(key, e.getMessage());
        }
        return Optional.empty();
    }
}
