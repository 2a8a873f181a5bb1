package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokengate user add}. */
@Command(
        name = "add",
        description = {
            "Add a local user. The password comes from --password-stdin, else a prompt, else it is generated and printed once.",
            "Offline on a fresh home, this is how the first admin is made."
        },
        mixinStandardHelpOptions = true)
final class UserAddCommand extends AdminCommand {
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
        NewPassword password = NewPassword.read(passwordStdin, Shell.of(spec));
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
