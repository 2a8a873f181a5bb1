package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokengate token create}. */
@Command(name = "create", description = "Create a token and print its secret once.", mixinStandardHelpOptions = true)
final class TokenCreateCommand extends AdminCommand {
    @Option(names = "--name", required = true, description = "What the token is for.")
    String name;

    @ArgGroup(multiplicity = "1")
    Binding binding;

    static final class Binding {
        @Option(names = "--user", paramLabel = "USER", description = "The user the token is bound to.")
        String user;

        @Option(names = "--unbound", description = "Any Basic user name may present it (admins only).")
        boolean unbound;
    }

    @ArgGroup
    TokenFieldOptions.ExpiryOption expiry = new TokenFieldOptions.ExpiryOption();

    @ArgGroup
    TokenFieldOptions.LimitsOption limits;

    @Option(names = "--allowed-ips", paramLabel = "CIDRS", description = "Comma-separated client addresses or ranges.")
    String allowedIps;

    @Option(
            names = "--rate-limit",
            paramLabel = "RATE",
            description = "Requests per period, e.g. 100/min (units s, min, h, day); beyond it 429.")
    String rateLimit;

    @Override
    void run(ApiClient api, PrintWriter out) throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("name", name);
        if (binding.user != null) {
            if (binding.user.isBlank()) {
                // The API's answer says to leave "user" out, which here is a missing option: a
                // script's empty variable is not a wish for an unbound token, which takes saying so.
                throw new IllegalArgumentException("--user: is blank: name the user the token is for, or --unbound"
                        + " for an unbound token (admins only)");
            }
            body.put("user", binding.user);
        }
        expiry.apply(body);
        if (limits != null) {
            body.put("limits", limits.read(Shell.of(spec)));
        }
        if (allowedIps != null) {
            body.set("allowedIps", TokenFieldOptions.ips(allowedIps, "leave the option out"));
        }
        if (rateLimit != null) {
            body.put("rateLimit", rateLimit);
        }
        // Asked before the token exists: a failure after it would lose a secret shown only once.
        boolean secureMode = !json && TokenPrinter.secureMode(api);
        JsonNode created = api.post("/tokens", body);
        if (json) {
            printJson(out, created);
            return;
        }
        TokenPrinter.details(out, created);
        TokenPrinter.secret(out, created, secureMode);
    }
}
