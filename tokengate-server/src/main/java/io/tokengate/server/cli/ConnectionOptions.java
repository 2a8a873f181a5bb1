package io.tokengate.server.cli;

import io.tokengate.server.config.ConfigException;
import io.tokengate.server.http.TrustedCertificates;
import java.io.Console;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How an administrative command reaches tokengate: {@code --server URL} names a running server's
 * admin plane (credentials from {@code --login} and {@code TOKENGATE_ADMIN_PASSWORD} or a prompt);
 * without it the command works offline on the home directory, which no server may hold. An
 * {@code https://} server whose certificate the JVM does not trust is trusted through {@code
 * --cacert}, a PEM file of its certificate or its CA's.
 */
final class ConnectionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    HomeOptions home;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Admin plane of a running server, e.g. http://127.0.0.1:8081 (default $TOKENGATE_SERVER;"
                    + " without it: offline on --home)")
    URI server;

    @Option(
            names = "--login",
            paramLabel = "USER",
            description = "User for --server (default $TOKENGATE_ADMIN_USER or admin); the password comes from"
                    + " $TOKENGATE_ADMIN_PASSWORD or a prompt")
    String login;

    @Option(
            names = "--cacert",
            paramLabel = "FILE",
            description = "PEM file of the certificates an https --server's must chain to, instead of the JVM's:"
                    + " the server's own, or its CA's (default $TOKENGATE_CACERT)")
    Path cacert;

    /**
     * @param setsUpAHome whether the command may be the first on a new home, and so create it
     *     offline ({@code user add}); any other finds nothing in a home that does not exist, and
     *     would leave an empty one behind, named by a mistyped {@code --home}
     * @param needsAServer why the command works only on a running server; null when it works
     *     offline too
     * @throws ConfigException when no server is named and the home does not exist
     */
    AdminConnection open(boolean setsUpAHome, String needsAServer) {
        Shell shell = Shell.of(command);
        URI target = server != null ? server : environmentServer(shell);
        Path trusted = cacert != null ? cacert : environmentPath(shell, "TOKENGATE_CACERT");
        if (target == null && needsAServer != null) {
            throw new ParameterException(
                    command.commandLine(),
                    needsAServer + ": name its admin plane with --server URL (or TOKENGATE_SERVER),"
                            + " e.g. --server http://127.0.0.1:8081");
        }
        if (target == null) {
            if (cacert != null) {
                throw new ParameterException(command.commandLine(), "--cacert is for an https --server");
            }
            Path dir = home.home(shell);
            if (!Files.isDirectory(dir)) {
                if (!setsUpAHome) {
                    throw home.missing(shell, ", or a running server with --server");
                }
                command.commandLine()
                        .getErr()
                        .println("tokengate: " + dir.toAbsolutePath()
                                + " does not exist: making a new home there (its own key file and database)");
            }
            return AdminConnection.local(home.load(shell, Map.of(), false));
        }
        Optional<SSLContext> tls = Optional.empty();
        if (trusted != null) {
            if (!"https".equalsIgnoreCase(target.getScheme())) {
                throw new ParameterException(command.commandLine(), "--cacert is for an https --server, not " + target);
            }
            try {
                tls = Optional.of(TrustedCertificates.load("--cacert", trusted, Instant.now())
                        .sslContext());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), e.getMessage());
            }
        }
        String user = login != null ? login : env(shell, "TOKENGATE_ADMIN_USER", "admin");
        return AdminConnection.remote(target, tls, user, password(shell, user));
    }

    private static Path environmentPath(Shell shell, String name) {
        String value = shell.variable(name);
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    private static URI environmentServer(Shell shell) {
        String value = shell.variable("TOKENGATE_SERVER");
        return value == null || value.isBlank() ? null : URI.create(value.strip());
    }

    /**
     * The password for {@code --server}. Without a terminal or TOKENGATE_ADMIN_PASSWORD the command
     * cannot run as given (64, as a missing option), rather than 3, which tells a script that the
     * server is away and the same call may work when tried again.
     */
    private char[] password(Shell shell, String user) {
        String fromEnvironment = shell.variable("TOKENGATE_ADMIN_PASSWORD");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(
                    command.commandLine(),
                    "no password for " + user + ": set TOKENGATE_ADMIN_PASSWORD (no terminal to ask on)");
        }
        char[] password = console.readPassword("Password for %s: ", user);
        if (password == null) {
            throw new Refused("no password given");
        }
        return password;
    }

    private static String env(Shell shell, String name, String fallback) {
        String value = shell.variable(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
