package io.tokengate.store;

import io.tokengate.core.Loopback;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.jdbc.SslMode;
import org.postgresql.util.PSQLException;

/**
 * A {@code db.url} of PostgreSQL as the driver (pgjdbc) reads it, looked at before any connection:
 * its TLS settings ({@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey},
 * {@code sslfactory}), whose mistakes would otherwise surface only as a connection that keeps
 * failing, and credentials it must not carry. The driver's own parser reads the URL, so what is
 * checked here is what the driver will use. No message here shows a value that may be secret.
 */
public final class PostgresUrl {
    /** The URL parameters that name files: read by the driver, resolved against the home here. */
    private static final List<String> FILE_PARAMETERS = List.of("sslrootcert", "sslcert", "sslkey");

    /** {@code //user:password@host}, which the driver does not read (it takes it for a host name). */
    private static final Pattern USER_INFO = Pattern.compile("(?i)^jdbc:postgresql://[^?]*@");

    private static final String NON_VALIDATING_FACTORY = "org.postgresql.ssl.NonValidatingFactory";

    private PostgresUrl() {}

    /** Whether {@code url} is one of PostgreSQL's (else H2's, or none tokengate takes). */
    public static boolean isPostgres(String url) {
        return url != null && url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
    }

    /**
     * {@code url} with each relative file it names ({@code sslrootcert=ca.pem}) made absolute under
     * {@code home}: the driver would read it relative to the working directory of the process,
     * which a service manager chooses, not the administrator.
     */
    public static String withFilesUnder(String url, Path home) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        List<String> parameters = new ArrayList<>();
        for (String parameter : url.substring(query + 1).split("&", -1)) {
            int eq = parameter.indexOf('=');
            String name = eq < 0 ? parameter : parameter.substring(0, eq);
            if (eq > 0 && FILE_PARAMETERS.contains(name)) {
                String value = URLDecoder.decode(parameter.substring(eq + 1), StandardCharsets.UTF_8);
                try {
                    if (!value.isEmpty() && !Path.of(value).isAbsolute()) {
                        String absolute =
                                home.toAbsolutePath().resolve(value).normalize().toString();
                        parameter = name + "=" + URLEncoder.encode(absolute, StandardCharsets.UTF_8);
                    }
                } catch (InvalidPathException e) {
                    // left as it is: problems() says it names no file
                }
            }
            parameters.add(parameter);
        }
        return url.substring(0, query + 1) + String.join("&", parameters);
    }

    /**
     * What keeps {@code url} from working, each naming {@code db.url} and what to do: credentials in
     * it the driver does not read, an {@code sslmode} it does not know, a file it names that does
     * not exist or that this process may not read. Empty when none.
     */
    public static List<String> problems(String url) {
        List<String> problems = new ArrayList<>();
        if (USER_INFO.matcher(url).find()) {
            problems.add("db.url: the PostgreSQL driver does not read a user or password in the URL"
                    + " (//USER:PASSWORD@HOST): give them as db.user and db.password");
            return problems;
        }
        Properties properties = Driver.parseURL(url, null);
        if (properties == null) {
            problems.add("db.url: '" + Database.redact(url) + "' is not a URL the PostgreSQL driver reads"
                    + " (jdbc:postgresql://HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=CA.pem)");
            return problems;
        }
        SslMode mode;
        try {
            mode = SslMode.of(properties);
        } catch (PSQLException e) {
            problems.add("db.url: sslmode=" + properties.getProperty("sslmode")
                    + " is none of disable, allow, prefer, require, verify-ca, verify-full");
            return problems;
        }
        for (String parameter : FILE_PARAMETERS) {
            String file = properties.getProperty(parameter);
            if (file != null) {
                unreadable(file).ifPresent(why -> problems.add("db.url: " + parameter + " " + file + " " + why));
            }
        }
        if (mode.verifyCertificate()
                && properties.getProperty("sslrootcert") == null
                && properties.getProperty("sslfactory") == null) {
            Path fallback = Path.of(System.getProperty("user.home"), ".postgresql", "root.crt");
            unreadable(fallback.toString())
                    .ifPresent(why -> problems.add("db.url: sslmode=" + mode.value + " without sslrootcert reads the"
                            + " CA certificate from " + fallback + ", which " + why
                            + ": add sslrootcert=PATH of the PEM file of the CA that signed the database's"
                            + " certificate (a relative path is under the home)"));
        }
        return problems;
    }

    /**
     * A warning when {@code url} lets a database on another host be impersonated: without {@code
     * sslmode=verify-full} (or {@code verify-ca}) the driver takes any certificate, or none ({@code
     * prefer}, its default, speaks plain text to a server that offers no TLS), so whoever sits on
     * the path reads db.password and the tokens' digests, or answers in the database's place.
     */
    public static Optional<String> unverified(String url) {
        Properties properties = url == null ? null : Driver.parseURL(url, null);
        if (properties == null) {
            return Optional.empty();
        }
        SslMode mode;
        try {
            mode = SslMode.of(properties);
        } catch (PSQLException e) {
            return Optional.empty(); // a problem, reported as such
        }
        String factory = properties.getProperty("sslfactory");
        boolean verified = mode.verifyCertificate() && !NON_VALIDATING_FACTORY.equals(factory);
        List<String> remote = new ArrayList<>();
        for (String host : properties.getProperty("PGHOST", "localhost").split(",")) {
            if (!Loopback.is(host)) {
                remote.add(host);
            }
        }
        if (verified || remote.isEmpty()) {
            return Optional.empty();
        }
        String what = NON_VALIDATING_FACTORY.equals(factory)
                ? "sslfactory=" + NON_VALIDATING_FACTORY + " trusts any certificate"
                : "sslmode=" + mode.value
                        + (properties.getProperty("sslmode") == null ? " (the driver's default)" : "")
                        + (mode.requireEncryption()
                                ? " encrypts but does not check whose certificate it gets"
                                : " falls back to plain text where the server allows it, and checks no certificate")
                        + (properties.getProperty("sslrootcert") != null
                                ? " (sslrootcert is read with verify-ca or verify-full only)"
                                : "");
        return Optional.of("db.url: the database on " + String.join(", ", remote) + " is reached over the network"
                + " and " + what + ": whoever is on the path can read db.password and the token store or pose as"
                + " the database; use sslmode=verify-full&sslrootcert=CA.pem (the PEM file of the CA that signed"
                + " the database's certificate; a relative path is under the home)");
    }

    /** Why this process cannot read {@code file}, if it cannot. */
    private static Optional<String> unreadable(String file) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            return Optional.of("is not a file name (" + e.getReason() + ")");
        }
        if (!Files.exists(path)) {
            return Optional.of("does not exist");
        }
        if (Files.isDirectory(path)) {
            return Optional.of("is a directory, not a PEM file");
        }
        if (!Files.isReadable(path)) {
            return Optional.of("is not readable by user " + System.getProperty("user.name")
                    + ", whom tokengate runs as: let it read the file (chmod, chown, or a group it is in)");
        }
        return Optional.empty();
    }
}
