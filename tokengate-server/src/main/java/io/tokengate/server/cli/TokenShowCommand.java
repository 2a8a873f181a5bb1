package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tokengate token show}. */
@Command(name = "show", description = "Show one token.", mixinStandardHelpOptions = true)
final class TokenShowCommand extends AdminCommand {
    @Parameters(paramLabel = "ID", description = "The token's id.")
    String id;

    @Override
    void run(ApiClient api, PrintWriter out) throws Exception {
        JsonNode token = api.get("/tokens/" + id, Map.of());
        if (json) {
            printJson(out, token);
        } else {
            TokenPrinter.details(out, token);
        }
    }
}
