package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;

/** Tokens as people read them on a terminal; {@code --json} prints the API's JSON instead. */
final class TokenPrinter {
    private TokenPrinter() {}

    static void details(PrintWriter out, JsonNode token) {
        out.println("id           " + AdminCommand.text(token, "id"));
        out.println("name         " + AdminCommand.text(token, "name"));
        out.println("user         "
                + (token.path("unbound").asBoolean() ? "(unbound: any user)" : AdminCommand.text(token, "user")));
        out.println("status       " + AdminCommand.text(token, "status"));
        out.println("created      " + AdminCommand.instant(token, "createdAt") + " by "
                + AdminCommand.text(token, "createdBy"));
        out.println("expires      "
                + (token.path("expiresAt").isNull() ? "never" : AdminCommand.instant(token, "expiresAt")));
        if (!token.path("revokedAt").isNull()) {
            out.println("revoked      " + AdminCommand.instant(token, "revokedAt"));
        }
        StringBuilder ips = new StringBuilder();
        token.path("allowedIps")
                .forEach(ip -> ips.append(ips.length() == 0 ? "" : ", ").append(ip.asText()));
        out.println("allowed IPs  " + (ips.length() == 0 ? "any" : ips));
        out.println("rate limit   "
                + (token.path("rateLimit").isTextual() ? token.get("rateLimit").asText() : "none"));
        out.println("last used    " + AdminCommand.instant(token, "lastUsedAt") + " from "
                + AdminCommand.text(token, "lastUsedIp") + " ("
                + token.path("useCount").asLong() + " uses)");
        out.println("secret hint  " + AdminCommand.text(token, "hint"));
        userGone(out, token, "user gone   ");
        String limits = token.path("limits").asText("");
        out.println("limits       " + (limits.isBlank() ? "(none: every supported endpoint)" : ""));
        if (!limits.isBlank()) {
            limits.lines().forEach(line -> out.println("  " + line));
        }
    }

    /** The secret of a create or rotate, with the warning it deserves in the mode in force. */
    static void secret(PrintWriter out, JsonNode token, boolean secureMode) {
        out.println();
        out.println(
                secureMode
                        ? "Secret (secure mode: shown only this once, store it now):"
                        : "Secret (use it as the password in HTTP Basic auth; an admin or its user can show it again):");
        out.println("  " + AdminCommand.text(token, "token"));
    }

    /** Whether the server answering {@code api} is in secure mode. */
    static boolean secureMode(ApiClient api) {
        return api.get("/me", Map.of()).path("secureMode").asBoolean(true);
    }

    static void table(PrintWriter out, Iterable<JsonNode> tokens) {
        String format = "%-22s %-28s %-16s %-8s %-20s %s%n";
        out.printf(format, "ID", "NAME", "USER", "STATUS", "EXPIRES", "LAST USED");
        for (JsonNode token : tokens) {
            out.printf(
                    format,
                    AdminCommand.text(token, "id"),
                    cut(AdminCommand.text(token, "name"), 28),
                    token.path("unbound").asBoolean() ? "(unbound)" : cut(AdminCommand.text(token, "user"), 16),
                    AdminCommand.text(token, "status"),
                    token.path("expiresAt").isNull() ? "never" : AdminCommand.instant(token, "expiresAt"),
                    AdminCommand.instant(token, "lastUsedAt"));
        }
        for (JsonNode token : tokens) {
            userGone(out, token, AdminCommand.text(token, "id") + ": ");
        }
    }

    /**
     * What the server learnt of the token's user being gone from Jira, when it learnt anything
     * ({@code userGone}): with the remedy, since the token would act for whoever gets the name next.
     */
    private static void userGone(PrintWriter out, JsonNode token, String prefix) {
        JsonNode gone = token.path("userGone");
        if (gone.isObject()) {
            out.println("! " + prefix + AdminCommand.text(gone, "why") + " (as of "
                    + AdminCommand.text(gone, "learntAt") + "); " + AdminCommand.text(gone, "remedy"));
        }
    }

    static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
