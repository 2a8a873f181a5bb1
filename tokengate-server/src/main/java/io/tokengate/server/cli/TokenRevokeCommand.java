package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tokengate token revoke}. A token revoked before is said to be, with when: revoking it
 * again changes nothing, and exits 0 all the same, so that a script may revoke whatever it was
 * told of.
 */
@Command(
        name = "revoke",
        description = "Revoke a token: it stops working at once, on every node.",
        mixinStandardHelpOptions = true)
final class TokenRevokeCommand extends AdminCommand {
    @Parameters(paramLabel = "ID", description = "The token's id.")
    String id;

    @Override
    void run(ApiClient api, PrintWriter out) throws Exception {
        JsonNode token = api.post("/tokens/" + id + "/revoke", null);
        if (json) {
            printJson(out, token);
        } else if (token.path("alreadyRevoked").asBoolean()) {
            out.println(AdminCommand.text(token, "id") + " (" + AdminCommand.text(token, "name")
                    + ") was already revoked at " + AdminCommand.instant(token, "revokedAt") + "; nothing changed");
        } else {
            out.println("revoked " + AdminCommand.text(token, "id") + " (" + AdminCommand.text(token, "name") + ")");
        }
    }
}
