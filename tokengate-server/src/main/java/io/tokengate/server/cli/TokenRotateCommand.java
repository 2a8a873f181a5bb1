package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tokengate token rotate}. */
@Command(
        name = "rotate",
        description = "Give a token a new secret, same settings; the old secret stops working at once.",
        mixinStandardHelpOptions = true)
final class TokenRotateCommand extends AdminCommand {
    @Parameters(paramLabel = "ID", description = "The token's id.")
    String id;

    @Override
    void run(ApiClient api, PrintWriter out) throws Exception {
        boolean secureMode = !json && TokenPrinter.secureMode(api); // before the old secret stops working
        JsonNode token = api.post("/tokens/" + id + "/rotate", null);
        if (json) {
            printJson(out, token);
            return;
        }
        TokenPrinter.details(out, token);
        TokenPrinter.secret(out, token, secureMode);
    }
}
