package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokengate user add|list|edit|passwd|remove|revoke-tokens}: local users of the admin plane. */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = {
            "Manage local users (identity.source = local): offline on --home, or on a running server with --server.",
            "Exit codes: 0 done, 1 refused, 2 invalid configuration, 3 unreachable, 64 invalid command line (an option or its value)."
        },
        subcommands = {
            UserCommand.Add.class,
            UserCommand.ListUsers.class,
            UserCommand.Edit.class,
            UserCommand.Passwd.class,
            UserCommand.Remove.class,
            UserCommand.RevokeTokens.class
        })
final class UserCommand {

    @Command(
            name = "add",
            description = {
                "Add a local user. The password comes from --password-stdin, else a prompt, else it is generated and printed once.",
                "Offline on a fresh home, this is how the first admin is made."
            },
            mixinStandardHelpOptions = true)
    static final class Add extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "Log-in name.")
        String name;

        /** The first admin is added before the first start (see the README). */
        @Override
        boolean setsUpAHome() {
            return true;
        }

        @Option(
                names = "--email",
                description = "E-mail address (a token bound to the user also accepts it as Basic user).")
        String email;

        @Option(names = "--display-name", description = "Name to show.")
        String displayName;

        @Option(names = "--admin", description = "Make the user an admin.")
        boolean admin;

        @Option(
                names = "--group",
                split = ",",
                paramLabel = "GROUP",
                description = "A group the user is in (repeat it, or separate with commas); runas.groups may name it.")
        List<String> groups = List.of();

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            NewPassword password = newPassword(passwordStdin, Shell.of(spec));
            ObjectNode body = ApiClient.JSON
                    .createObjectNode()
                    .put("name", name)
                    .put("password", password.text())
                    .put("role", admin ? "admin" : "user");
            if (email != null) {
                body.put("email", email);
            }
            if (displayName != null) {
                body.put("displayName", displayName);
            }
            if (!groups.isEmpty()) {
                groups.forEach(body.putArray("groups")::add);
            }
            JsonNode user = api.post("/users", body);
            if (json) {
                printJson(out, user);
            } else {
                out.println("added " + text(user, "role") + " " + text(user, "name"));
            }
            password.showIfGenerated(spec);
        }
    }

    /**
     * A password for the API, and whether this command made it up.
     *
     * @param text the password, as the JSON body carries it
     */
    private record NewPassword(String text, boolean generated) {
        /** Prints a generated password once, on standard error, after the command succeeded. */
        void showIfGenerated(CommandSpec spec) {
            if (generated) {
                spec.commandLine().getErr().println("password (shown once): " + text);
            }
        }

        @Override
        public String toString() {
            return "NewPassword[" + (generated ? "generated" : "given") + "]"; // never the password
        }
    }

    /**
     * A new password: the first line of standard input with {@code --password-stdin}, else asked
     * twice on the terminal, else (no terminal) generated, for the caller to print once.
     */
    private static NewPassword newPassword(boolean fromStdin, Shell shell) throws IOException {
        if (fromStdin) {
            String line = new BufferedReader(new InputStreamReader(shell.in(), StandardCharsets.UTF_8)).readLine();
            return new NewPassword(line == null ? "" : line, false);
        }
        Console console = System.console();
        char[] password = console != null ? prompt(console) : generate();
        try {
            return new NewPassword(new String(password), console == null);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] prompt(Console console) {
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Again: ");
        if (first == null || !Arrays.equals(first, second)) {
            throw new Refused("the passwords differ; nothing was changed");
        }
        return first;
    }

    private static char[] generate() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        char[] password = new char[20];
        for (int i = 0; i < password.length; i++) {
            password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return password;
    }

    @Command(name = "list", description = "List local users.", mixinStandardHelpOptions = true)
    static final class ListUsers extends AdminCommand {
        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            JsonNode users = api.get("/users", Map.of());
            if (json) {
                printJson(out, users.path("users"));
                return;
            }
            if (users.path("users").isEmpty()) {
                out.println("No local users yet: 'tokengate user add' adds one.");
                return;
            }
            out.printf("%-24s %-6s %-32s %-24s %s%n", "NAME", "ROLE", "E-MAIL", "GROUPS", "DISPLAY NAME");
            for (JsonNode user : users.path("users")) {
                out.printf(
                        "%-24s %-6s %-32s %-24s %s%n",
                        text(user, "name"),
                        text(user, "role"),
                        text(user, "email"),
                        groups(user),
                        text(user, "displayName"));
            }
        }
    }

    @Command(
            name = "edit",
            description = "Change a local user's groups or role (not your own role).",
            mixinStandardHelpOptions = true)
    static final class Edit extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "Log-in name.")
        String name;

        @Option(
                names = "--groups",
                paramLabel = "GROUP,...",
                description = "The user's groups, replacing the ones they are in; \"\" for none.")
        String groups;

        @Option(names = "--role", paramLabel = "admin|user", description = "Make the user an admin or a user.")
        String role;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            if (groups == null && role == null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "Nothing to change: give --groups, --role or both.");
            }
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (groups != null) {
                body.put("groups", groups);
            }
            if (role != null) {
                body.put("role", role);
            }
            JsonNode user = api.patch("/users/" + ApiClient.segment(name), body);
            if (json) {
                printJson(out, user);
            } else {
                out.println("edited " + text(user, "name") + ": " + text(user, "role") + ", groups " + groups(user));
            }
        }
    }

    /** A user's groups, comma-separated; "-" for none. */
    private static String groups(JsonNode user) {
        List<String> names = new ArrayList<>();
        user.path("groups").forEach(group -> names.add(group.asText()));
        return names.isEmpty() ? "-" : String.join(",", names);
    }

    @Command(
            name = "passwd",
            description = {
                "Set a local user's password (admins; a forgotten password, or root's after staff leave).",
                "The password comes from --password-stdin, else a prompt, else it is generated and printed once.",
                "The user's sessions end, and scripts signed in with the old password are refused."
            },
            mixinStandardHelpOptions = true)
    static final class Passwd extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "Log-in name.")
        String name;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            NewPassword password = newPassword(passwordStdin, Shell.of(spec));
            ObjectNode body = ApiClient.JSON.createObjectNode().put("password", password.text());
            api.put("/users/" + ApiClient.segment(name) + "/password", body);
            if (json) {
                printJson(out, ApiClient.JSON.createObjectNode().put("name", name));
            } else {
                out.println("set the password of " + name + "; their sessions ended");
            }
            password.showIfGenerated(spec);
        }
    }

    @Command(
            name = "remove",
            description = {
                "Remove a local user; their sessions end at once.",
                "Tokens bound to them stay active unless --revoke-tokens: the output says how many."
            },
            mixinStandardHelpOptions = true)
    static final class Remove extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "Log-in name.")
        String name;

        @Option(
                names = "--revoke-tokens",
                description = "Also revoke every active token bound to the user (or to their e-mail address).")
        boolean revokeTokens;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            JsonNode removed =
                    api.delete("/users/" + ApiClient.segment(name) + (revokeTokens ? "?revokeTokens=true" : ""));
            if (json) {
                printJson(out, removed);
                return;
            }
            String user = text(removed, "name");
            int revoked = removed.path("revokedTokens").asInt();
            int active = removed.path("activeTokens").asInt();
            if (revoked > 0) {
                out.println("removed " + user + "; revoked " + tokens(revoked) + " bound to them");
            } else if (active > 0) {
                List<String> commands = new ArrayList<>();
                removed.path("activeTokensBoundTo")
                        .forEach(bound -> commands.add("`tokengate user revoke-tokens " + bound.asText() + "`"));
                out.println("removed " + user + "; " + tokens(active) + " bound to them "
                        + (active == 1 ? "stays" : "stay") + " active: revoke "
                        + (active == 1 ? "it" : "them") + " with " + String.join(" and ", commands));
            } else {
                out.println("removed " + user + "; no active token was bound to them");
            }
        }
    }

    @Command(
            name = "revoke-tokens",
            description = {
                "Revoke every active token bound to a user (or to their e-mail address), each audited.",
                "The user need not exist any more: a removed user's tokens stay active until revoked."
            },
            mixinStandardHelpOptions = true)
    static final class RevokeTokens extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "The user the tokens are bound to.")
        String name;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            JsonNode revoked = api.post("/users/" + ApiClient.segment(name) + "/tokens/revoke", null);
            if (json) {
                printJson(out, revoked);
                return;
            }
            for (JsonNode token : revoked.path("tokens")) {
                out.println("revoked " + text(token, "id") + " (" + text(token, "name") + ")");
            }
            out.println("revoked " + tokens(revoked.path("revoked").asInt()) + " bound to " + text(revoked, "user"));
        }
    }

    /** "1 active token", "2 active tokens". */
    private static String tokens(int count) {
        return count + " active " + (count == 1 ? "token" : "tokens");
    }
}
