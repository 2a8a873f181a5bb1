package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokengate user passwd}. */
@Command(
        name = "passwd",
        description = {
            "Set a local user's password (admins; a forgotten password, or root's after staff leave).",
            "The password comes from --password-stdin, else a prompt, else it is generated and printed once.",
            "The user's sessions end, and scripts signed in with the old password are refused."
        },
        mixinStandardHelpOptions = true)
final class UserPasswdCommand extends AdminCommand {
    @Parameters(paramLabel = "NAME", description = "Log-in name.")
    String name;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Override
    void run(ApiClient api, PrintWriter out) throws Exception {
        NewPassword password = NewPassword.read(passwordStdin, Shell.of(spec));
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
