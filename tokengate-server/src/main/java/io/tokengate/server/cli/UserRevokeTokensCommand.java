package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tokengate user revoke-tokens}. */
@Command(
        name = "revoke-tokens",
        description = {
            "Revoke every active token bound to a user (or to their e-mail address), each audited.",
            "The user need not exist any more: a removed user's tokens stay active until revoked."
        },
        mixinStandardHelpOptions = true)
final class UserRevokeTokensCommand extends AdminCommand {
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
        out.println("revoked " + UserPrinter.tokens(revoked.path("revoked").asInt()) + " bound to "
                + text(revoked, "user"));
    }
}
