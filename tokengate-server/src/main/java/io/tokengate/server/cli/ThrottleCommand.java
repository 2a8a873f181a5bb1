package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tokengate throttle list|lift}: the client addresses that failed to log in, and lifting an
 * address's login throttle. Throttles live in the memory of running servers, so these work only
 * with {@code --server}; a lift there reaches every node of a cluster.
 */
@Command(
        name = "throttle",
        mixinStandardHelpOptions = true,
        description = {
            "See and lift login throttles (login.max.failures) on a running server, with --server:"
                    + " they are held in its memory, not in the home.",
            "Exit codes: 0 done (also when there was nothing to lift), 1 refused by tokengate (its message is"
                    + " printed), 3 tokengate unreachable, 64 invalid command line (no --server, or not an address)."
        },
        subcommands = {ThrottleCommand.ListThrottles.class, ThrottleCommand.Lift.class})
final class ThrottleCommand {
    static final String NEEDS_A_SERVER = "login throttles are held in a running server's memory, not in the home";

    /** What both subcommands share: a running server to ask, and the plane to ask about. */
    abstract static class OnAServer extends AdminCommand {
        @Option(names = "--plane", description = "data or admin (default: both).")
        String plane;

        @Override
        String needsAServer() {
            return NEEDS_A_SERVER;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the client addresses with failed logins now, throttled first, per plane"
                    + " (data: tokens, admin: sign-ins). No credentials are shown.")
    static final class ListThrottles extends OnAServer {
        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("plane", plane);
            JsonNode listed = api.get("/throttles", query);
            if (json) {
                printJson(out, listed);
                return;
            }
            JsonNode throttles = listed.path("throttles");
            if (throttles.isEmpty()) {
                out.println("no failed logins from any address now");
                return;
            }
            String format = "%-6s %-40s %8s  %-16s %s%n";
            out.printf(format, "PLANE", "ADDRESS", "FAILURES", "THROTTLED", "UNTIL");
            for (JsonNode t : throttles) {
                out.printf(
                        format,
                        text(t, "plane"),
                        text(t, "address"),
                        text(t, "failures"),
                        t.path("throttled").asBoolean() ? "yes, " + text(t, "secondsLeft") + " s left" : "no",
                        instant(t, "until"));
            }
            if (listed.path("omitted").asInt() > 0) {
                out.println("… and " + listed.path("omitted").asInt() + " more addresses with fewer failures");
            }
        }
    }

    @Command(
            name = "lift",
            mixinStandardHelpOptions = true,
            description = {
                "Lift the login throttle of a client address: its failed logins are forgotten on every node,"
                        + " so its next login is checked as any other (a token that no longer works is"
                        + " counted again). Audited as THROTTLE_LIFTED.",
                "An address without failed logins is not an error: the command says there was nothing to lift."
            })
    static final class Lift extends OnAServer {
        @Parameters(paramLabel = "ADDRESS", description = "The client's IP address, e.g. 10.0.0.7 or 2001:db8::7.")
        String address;

        @Override
        void run(ApiClient api, PrintWriter out) throws Exception {
            String path = "/throttles/" + ApiClient.segment(address)
                    + (plane == null ? "" : "?plane=" + ApiClient.segment(plane));
            JsonNode lifted = api.delete(path);
            if (json) {
                printJson(out, lifted);
            } else {
                out.println(text(lifted, "message"));
            }
        }
    }
}
