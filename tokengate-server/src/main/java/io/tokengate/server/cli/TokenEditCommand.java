package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokengate token edit}. */
@Command(
        name = "edit",
        description = "Change a token's name, limits, expiry, allowed addresses or rate limit"
                + " (standard mode only; the secret never changes: rotate instead).",
        mixinStandardHelpOptions = true)
final class TokenEditCommand extends AdminCommand {
    @Parameters(paramLabel = "ID", description = "The token's id.")
    String id;

    @Option(names = "--name", description = "New name.")
    String name;

    @ArgGroup
    TokenFieldOptions.ExpiryOption expiry = new TokenFieldOptions.ExpiryOption();

    @ArgGroup
    TokenFieldOptions.LimitsOption limits;

    @Option(names = "--allowed-ips", paramLabel = "CIDRS", description = "New allowed addresses ('' for any).")
    String allowedIps;

    @Option(
            names = "--rate-limit",
            paramLabel = "RATE",
            description = "New rate limit, e.g. 100/min ('none' for no limit).")
    String rateLimit;

    @Override
    void run(ApiClient api, PrintWriter out) throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        expiry.apply(body);
        if (limits != null) {
            body.put("limits", limits.read(Shell.of(spec)));
        }
        if (allowedIps != null) {
            body.set("allowedIps", TokenFieldOptions.ips(allowedIps));
        }
        if (rateLimit != null) {
            body.put("rateLimit", rateLimit);
        }
        if (body.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "nothing to change: give --name, --limits, --expires-at, --days, --no-expiry, --allowed-ips"
                            + " or --rate-limit");
        }
        JsonNode token = api.patch("/tokens/" + id, body);
        if (json) {
            printJson(out, token);
        } else {
            TokenPrinter.details(out, token);
        }
    }
}
