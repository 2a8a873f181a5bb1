package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokengate user edit}. */
@Command(
        name = "edit",
        description = "Change a local user's groups or role (not your own role).",
        mixinStandardHelpOptions = true)
final class UserEditCommand extends AdminCommand {
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
            out.println("edited " + text(user, "name") + ": " + text(user, "role") + ", groups "
                    + UserPrinter.groups(user));
        }
    }
}
