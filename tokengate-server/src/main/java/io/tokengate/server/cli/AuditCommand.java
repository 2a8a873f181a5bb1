package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code tokengate audit list|export}: the audit log, newest first, filtered. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Read the audit log: offline on --home, or on a running server with --server.",
            "Exit codes: 0 done, 1 refused, 2 invalid configuration, 3 unreachable, 64 invalid command line (an option or its value)."
        },
        subcommands = {AuditCommand.ListEvents.class, AuditCommand.Export.class})
final class AuditCommand {

    /** The filters both subcommands take, as the API's query parameters. */
    static final class Filters {
        @Option(names = "--token", paramLabel = "ID", description = "Only this token's records.")
        String token;

        @Option(names = "--user", description = "Only records whose Basic or effective user is this.")
        String user;

        @Option(names = "--decision", description = "ALLOW or DENY.")
        String decision;

        @Option(names = "--kind", description = "REQUEST, TOKEN_CREATE, TOKEN_REVOKE, LOGIN_FAILED, …")
        String kind;

        @Option(names = "--from", paramLabel = "ISO-8601", description = "Records at or after this instant.")
        String from;

        @Option(names = "--to", paramLabel = "ISO-8601", description = "Records before this instant.")
        String to;

        Map<String, String> query() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("token", token);
            query.put("user", user);
            query.put("decision", decision);
            query.put("kind", kind);
            query.put("from", from);
            query.put("to", to);
            return query;
        }
    }

    @Command(name = "list", description = "List audit records, newest first.", mixinStandardHelpOptions = true)
    static final class ListEvents extends AdminCommand {
        @picocli.CommandLine.Mixin
        Filters filters;

        @Option(
                names = "--limit",
                defaultValue = "100",
                description = "At most this many records (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            List<JsonNode> events = new ArrayList<>();
            String cursor = null;
            do {
                Map<String, String> query = filters.query();
                query.put("limit", Integer.toString(Math.min(1000, limit - events.size())));
                query.put("cursor", cursor);
                JsonNode page = api.get("/audit", query);
                page.path("events").forEach(events::add);
                cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            } while (cursor != null && events.size() < limit);
            if (json) {
                ArrayNode array = ApiClient.JSON.createArrayNode();
                events.forEach(array::add);
                printJson(out, array);
                return;
            }
            if (events.isEmpty()) {
                out.println("No audit records match.");
                return;
            }
            String format = "%-24s %-13s %-5s %-4s %-14s %-15s %-40s %s%n";
            out.printf(format, "TIME", "KIND", "DEC.", "HTTP", "USER", "CLIENT", "REQUEST", "REASON");
            for (JsonNode e : events) {
                String request =
                        e.hasNonNull("method") ? text(e, "method") + " " + text(e, "path") : text(e, "tokenName");
                out.printf(
                        format,
                        TokenPrinter.cut(text(e, "time"), 24),
                        TokenPrinter.cut(text(e, "kind"), 13),
                        text(e, "decision"),
                        text(e, "status"),
                        TokenPrinter.cut(user(e), 14),
                        TokenPrinter.cut(text(e, "clientIp"), 15),
                        TokenPrinter.cut(request, 40),
                        text(e, "reason"));
            }
        }
    }

    /**
     * Whose a record is: of a call, the user it went to Jira as, else the Basic user it named (a
     * call refused before a token was found); of anything else, who acted on the admin plane.
     */
    static String user(JsonNode event) {
        List<String> fields = "REQUEST".equals(event.path("kind").asText())
                ? List.of("effectiveUser", "basicUser", "actor")
                : List.of("actor", "basicUser", "effectiveUser");
        for (String field : fields) {
            if (event.hasNonNull(field)) {
                return event.get(field).asText();
            }
        }
        return "-";
    }

    @Command(
            name = "export",
            description = "Export audit records as CSV or JSON Lines, streaming.",
            mixinStandardHelpOptions = true)
    static final class Export extends AdminCommand {
        @picocli.CommandLine.Mixin
        Filters filters;

        @Option(
                names = "--format",
                defaultValue = "csv",
                description = "csv or jsonl (default ${DEFAULT-VALUE}; --json is jsonl).")
        String format;

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of standard output.")
        Path output;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            Map<String, String> query = filters.query();
            query.put("format", format());
            if (output == null) {
                out.flush();
                OutputStream stdout = Shell.of(spec).out();
                api.download("/audit/export", query, stdout);
                stdout.flush();
                return;
            }
            // Into a file beside the target, moved over it only once the export is complete: a
            // refused or broken export leaves an existing file as it was.
            Path target = output.toAbsolutePath();
            Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
            try {
                try (OutputStream file = Files.newOutputStream(partial)) {
                    api.download("/audit/export", query, file);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        }

        /** {@code --format}; {@code --json}, which every admin command takes, asks for JSON Lines. */
        private String format() {
            if (!json) {
                return format;
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--format") && !format.equals("jsonl")) {
                throw new ParameterException(
                        spec.commandLine(), "--json exports JSON Lines: leave out --format " + format);
            }
            return "jsonl";
        }
    }
}
