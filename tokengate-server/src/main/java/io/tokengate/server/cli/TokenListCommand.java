package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokengate token list}. */
@Command(name = "list", description = "List tokens.", mixinStandardHelpOptions = true)
final class TokenListCommand extends AdminCommand {
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
}
