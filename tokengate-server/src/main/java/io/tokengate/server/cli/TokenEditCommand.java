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
    TokenFieldOptions.NewExpiryOption expiry = new TokenFieldOptions.NewExpiryOption();

    @ArgGroup
    TokenFieldOptions.LimitsOption limits;

    @ArgGroup
    Addresses addresses;

    /**
     * New allowed addresses, or any on purpose: an empty list is refused, for it is what a
     * script's empty variable gives, and taken as "any" it would open the token to every address.
     */
    static final class Addresses {
        @Option(names = "--allowed-ips", paramLabel = "CIDRS", description = "New allowed addresses.")
        String allowedIps;

        @Option(names = "--any-address", description = "Let clients at any address use the token.")
        boolean any;
    }

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
        if (addresses != null && addresses.any) {
            body.put("allowedIps", "");
        } else if (addresses != null) {
            body.set("allowedIps", TokenFieldOptions.ips(addresses.allowedIps, "--any-address"));
        }
        if (rateLimit != null) {
            body.put("rateLimit", rateLimit);
        }
        if (body.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "nothing to change: give --name, --limits, --limits-file, --no-limits, --expires-at, --days,"
                            + " --no-expiry, --allowed-ips, --any-address or --rate-limit");
        }
        JsonNode token = api.patch("/tokens/" + id, body);
        if (json) {
            printJson(out, token);
        } else {
            TokenPrinter.details(out, token);
        }
    }
}
