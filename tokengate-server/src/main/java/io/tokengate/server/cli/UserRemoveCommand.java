package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokengate user remove}. */
@Command(
        name = "remove",
        description = {
            "Remove a local user; their sessions end at once.",
            "Tokens bound to them stay active unless --revoke-tokens: the output says how many."
        },
        mixinStandardHelpOptions = true)
final class UserRemoveCommand extends AdminCommand {
    @Parameters(paramLabel = "NAME", description = "Log-in name.")
    String name;

    @Option(
            names = "--revoke-tokens",
            description = "Also revoke every active token bound to the user (or to their e-mail address).")
    boolean revokeTokens;

    @Override
    void run(ApiClient api, PrintWriter out) throws Exception {
        JsonNode removed = api.delete("/users/" + ApiClient.segment(name) + (revokeTokens ? "?revokeTokens=true" : ""));
        if (json) {
            printJson(out, removed);
            return;
        }
        String user = text(removed, "name");
        int revoked = removed.path("revokedTokens").asInt();
        int active = removed.path("activeTokens").asInt();
        if (revoked > 0) {
            out.println("removed " + user + "; revoked " + UserPrinter.tokens(revoked) + " bound to them");
        } else if (active > 0) {
            List<String> commands = new ArrayList<>();
            removed.path("activeTokensBoundTo")
                    .forEach(bound -> commands.add("`tokengate user revoke-tokens " + bound.asText() + "`"));
            out.println("removed " + user + "; " + UserPrinter.tokens(active) + " bound to them "
                    + (active == 1 ? "stays" : "stay") + " active: revoke "
                    + (active == 1 ? "it" : "them") + " with " + String.join(" and ", commands));
        } else {
            out.println("removed " + user + "; no active token was bound to them");
        }
    }
}
