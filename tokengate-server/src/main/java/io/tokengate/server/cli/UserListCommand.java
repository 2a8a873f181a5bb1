package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code tokengate user list}. */
@Command(name = "list", description = "List local users.", mixinStandardHelpOptions = true)
final class UserListCommand extends AdminCommand {
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
                    UserPrinter.groups(user),
                    text(user, "displayName"));
        }
    }
}
