package io.tokengate.server.cli;

import io.tokengate.core.TokengateException;
import java.io.Console;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How an administrative command reaches tokengate: {@code --server URL} names a running server's
 * admin plane (credentials from {@code --login} and {@code TOKENGATE_ADMIN_PASSWORD} or a prompt);
 * without it the command works offline on the home directory, which no server may hold.
 */
final class ConnectionOptions {
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

    AdminConnection open() {
        URI target = server != null ? server : environmentServer();
        if (target == null) {
            return AdminConnection.local(home.load(Map.of(), false));
        }
        String user = login != null ? login : env("TOKENGATE_ADMIN_USER", "admin");
        return AdminConnection.remote(target, user, password(user));
    }

    private static URI environmentServer() {
        String value = System.getenv("TOKENGATE_SERVER");
        return value == null || value.isBlank() ? null : URI.create(value.strip());
    }

    private static char[] password(String user) {
        String fromEnvironment = System.getenv("TOKENGATE_ADMIN_PASSWORD");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new TokengateException(
                    "no password for " + user + ": set TOKENGATE_ADMIN_PASSWORD (no terminal to ask on)");
        }
        char[] password = console.readPassword("Password for %s: ", user);
        if (password == null) {
            throw new TokengateException("no password given");
        }
        return password;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
