package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokengate token create|list|show|edit|rotate|revoke}. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Manage API tokens: offline on --home, or on a running server with --server.",
            "Exit codes: 0 done, 1 refused by tokengate (its message is printed), 2 invalid configuration,"
                    + " 3 tokengate unreachable or its home held by a server, 64 invalid command line (an option or its value)."
        },
        subcommands = {
            TokenCommand.Create.class,
            TokenCommand.ListTokens.class,
            TokenCommand.Show.class,
            TokenCommand.Edit.class,
            TokenCommand.Rotate.class,
            TokenCommand.Revoke.class
        })
final class TokenCommand {
    /** Limits given as text or read from a file ('-' for stdin). */
    static final class LimitsOption {
        @Option(names = "--limits", paramLabel = "TEXT", description = "Restrictions, one rule per line.")
        String text;

        @Option(
                names = "--limits-file",
                paramLabel = "FILE",
                description = "File with the restrictions ('-' for stdin).")
        Path file;

        String read(Shell shell) throws IOException {
            if (text != null) {
                return text;
            }
            byte[] bytes = file.toString().equals("-") ? shell.in().readAllBytes() : Files.readAllBytes(file);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Expiry as a date or a number of days. */
    static final class ExpiryOption {
        @Option(
                names = "--expires-at",
                paramLabel = "ISO-8601",
                description = "Expiry instant, e.g. 2027-01-31T00:00:00Z.")
        String at;

        @Option(names = "--days", paramLabel = "N", description = "Expire N days from now.")
        Integer days;

        @Option(names = "--no-expiry", description = "Never expire (edit only).")
        boolean never;

        void apply(ObjectNode body) {
            if (at != null) {
                body.put("expiresAt", at);
            } else if (days != null) {
                body.put("daysUntilExpiry", days);
            } else if (never) {
                body.putNull("expiresAt");
            }
        }
    }

    /**
     * The addresses as typed, for the API to read: separators alone ({@code ","}) are a list gone
     * empty, which it refuses, where dropping the blanks here would send "any address".
     */
    static TextNode ips(String csv) {
        return TextNode.valueOf(csv);
    }

    @Command(
            name = "create",
            description = "Create a token and print its secret once.",
            mixinStandardHelpOptions = true)
    static final class Create extends AdminCommand {
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
        ExpiryOption expiry = new ExpiryOption();

        @ArgGroup
        LimitsOption limits;

        @Option(
                names = "--allowed-ips",
                paramLabel = "CIDRS",
                description = "Comma-separated client addresses or ranges.")
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
                body.put("user", binding.user);
            }
            if (expiry.never) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--no-expiry is for edit: a new token never expires unless told");
            }
            expiry.apply(body);
            if (limits != null) {
                body.put("limits", limits.read(Shell.of(spec)));
            }
            if (allowedIps != null) {
                if (allowedIps.isBlank()) {
                    // A script's empty variable: leaving the option out says "any address" on purpose.
                    throw new IllegalArgumentException(
                            "--allowed-ips: empty; give addresses or CIDR blocks, or leave the option out for any address");
                }
                body.set("allowedIps", ips(allowedIps));
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

    @Command(name = "list", description = "List tokens.", mixinStandardHelpOptions = true)
    static final class ListTokens extends AdminCommand {
        @Option(names = "--user", description = "Only tokens bound to this user.")
        String user;

        @Option(names = "--status", description = "active, expired or revoked.")
        String status;

        @Option(names = "--name", description = "Only tokens whose name contains this text.")
        String name;

        @Option(
                names = "--expires-within",
                paramLabel = "DAYS",
                description = "Only tokens that expire within DAYS days: the jobs about to break"
                        + " (active ones, unless --status says otherwise).")
        Integer expiresWithin;

        @Option(
                names = "--unused-for",
                paramLabel = "DAYS",
                description = "Only tokens not used for DAYS days, or never used and older: the ones"
                        + " to ask about or revoke (active ones, unless --status says otherwise).")
        Integer unusedFor;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            Instant now = Instant.now();
            boolean hygiene = expiresWithin != null || unusedFor != null;
            List<JsonNode> tokens = new ArrayList<>();
            String cursor = null;
            do {
                Map<String, String> query = new LinkedHashMap<>();
                query.put("user", user);
                query.put("status", status == null && hygiene ? "active" : status);
                query.put("name", name);
                query.put("expiresBefore", daysFrom(now, expiresWithin, 1, "--expires-within"));
                query.put("unusedSince", daysFrom(now, unusedFor, -1, "--unused-for"));
                query.put("limit", "1000");
                query.put("cursor", cursor);
                JsonNode page = api.get("/tokens", query);
                page.path("tokens").forEach(tokens::add);
                cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            } while (cursor != null);
            if (json) {
                ArrayNode array = ApiClient.JSON.createArrayNode();
                tokens.forEach(array::add);
                printJson(out, array);
            } else if (tokens.isEmpty()) {
                boolean filtered = hygiene || user != null || status != null || name != null;
                out.println(filtered ? "No tokens match." : "No tokens yet: 'tokengate token create' makes one.");
            } else {
                TokenPrinter.table(out, tokens);
            }
        }
    }

    /**
     * {@code days} whole days after ({@code direction} 1) or before (-1) {@code now}, as the API
     * takes instants; null when not asked.
     */
    private static String daysFrom(Instant now, Integer days, int direction, String option) {
        if (days == null) {
            return null;
        }
        if (days < 0 || days > 36_500) {
            throw new IllegalArgumentException(option + ": DAYS must be from 0 to 36500, got " + days);
        }
        return now.plus(Duration.ofDays((long) direction * days))
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
    }

    @Command(name = "show", description = "Show one token.", mixinStandardHelpOptions = true)
    static final class Show extends AdminCommand {
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

    @Command(
            name = "edit",
            description = "Change a token's name, limits, expiry, allowed addresses or rate limit"
                    + " (standard mode only; the secret never changes: rotate instead).",
            mixinStandardHelpOptions = true)
    static final class Edit extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The token's id.")
        String id;

        @Option(names = "--name", description = "New name.")
        String name;

        @ArgGroup
        ExpiryOption expiry = new ExpiryOption();

        @ArgGroup
        LimitsOption limits;

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
                body.set("allowedIps", ips(allowedIps));
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

    @Command(
            name = "rotate",
            description = "Give a token a new secret, same settings; the old secret stops working at once.",
            mixinStandardHelpOptions = true)
    static final class Rotate extends AdminCommand {
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

    @Command(
            name = "revoke",
            description = "Revoke a token: it stops working at once, on every node.",
            mixinStandardHelpOptions = true)
    static final class Revoke extends AdminCommand {
        @Parameters(paramLabel = "ID", description = "The token's id.")
        String id;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            JsonNode token = api.post("/tokens/" + id + "/revoke", null);
            if (json) {
                printJson(out, token);
            } else {
                out.println(
                        "revoked " + AdminCommand.text(token, "id") + " (" + AdminCommand.text(token, "name") + ")");
            }
        }
    }
}
