package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.limits.LimitsProblem;
import io.tokengate.core.limits.LimitsSyntaxException;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.server.config.Key;
import io.tokengate.server.gateway.DryRun;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.RefusedNames;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.request.BadSampleException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokengate check}: a dry run of limits against a sample request; nothing is forwarded. */
@Command(
        name = "check",
        description = {
            "Decide whether limits allow a sample request, and explain why. Nothing is sent anywhere.",
            "Give the request's headers with -H, as to curl: the gateway refuses some requests for theirs (a"
                    + " form body or a charset under a rule that judges query parameters, override headers, a body"
                    + " it cannot read for JSON limits). What hangs on the caller (run-as, addresses, rates) is not"
                    + " checked.",
            "",
            "Example:",
            // Each line under the help's 80 columns: a longer one is wrapped mid-word, and pasted broken.
            "  tokengate check --method POST \\",
            "      --limits-text '[post].*/rest/api/2/issue/KANBAN-100/comment.*' \\",
            "      --url https://gw.example.com/rest/api/2/issue/KANBAN-100/comment",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:allowed",
            "1:denied (including a request the gateway refuses itself, REJECTED with its status: malformed or"
                    + " too long, a method it never forwards, headers it refuses, a path it does not serve by"
                    + " default, a body the limits must read that it cannot read or that is over the default"
                    + " body.inspect.max, a form body, a charset or more than 1000 query parameters when the rule"
                    + " that allows it judges query parameters)",
            "2:the limits do not parse",
            "64:invalid command line",
        },
        mixinStandardHelpOptions = true)
final class CheckCommand implements Callable<Integer> {
    static final int ALLOWED = 0;
    static final int DENIED = 1;
    static final int LIMITS_INVALID = 2;

    /**
     * What a gateway serves by default: offline, the check knows no settings, and a request
     * outside these is a 404 however its limits read.
     */
    private static final List<String> ENDPOINTS =
            List.of(Key.GATEWAY_ENDPOINTS.defaultValue().split(","));

    private static final List<String> EXCLUDED_ENDPOINTS =
            List.of(Key.GATEWAY_ENDPOINTS_EXCLUDED.defaultValue().split(","));

    /** Offline, the check knows no settings: what a gateway does by default. */
    private static final DryRun.Settings DEFAULTS = new DryRun.Settings(
            CheckCommand::notServed,
            Integer.parseInt(Key.BODY_INSPECT_MAX.defaultValue()),
            UpstreamIdentity.header(Key.UPSTREAM_IDENTITY_HEADER.defaultValue()),
            RefusedNames.NONE);

    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private LimitsSource limits;

    static final class LimitsSource {
        @Option(
                names = "--limits",
                paramLabel = "FILE",
                description = "File with the limits, one rule per line ('-' for stdin).")
        Path file;

        @Option(names = "--limits-text", paramLabel = "TEXT", description = "The limits themselves.")
        String text;
    }

    @Option(names = "--method", defaultValue = "GET", description = "HTTP method (default: ${DEFAULT-VALUE}).")
    private String method;

    @Option(
            names = "--url",
            required = true,
            paramLabel = "URL",
            description = "Full request URL including any query string.")
    private String url;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "'NAME: VALUE'",
            description =
                    "A request header, as curl's -H takes it; repeatable. The body's framing comes from the body.")
    private List<String> headers = new ArrayList<>();

    @ArgGroup
    private BodySource body;

    static final class BodySource {
        @Option(names = "--body", paramLabel = "FILE", description = "File with the request body ('-' for stdin).")
        Path file;

        @Option(names = "--body-text", paramLabel = "JSON", description = "The request body itself.")
        String text;
    }

    @Option(names = "--json", description = "Print the answer as JSON, as POST /api/v1/check gives it.")
    private boolean json;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Limits parsed;
        try {
            parsed = LimitsParser.parse(limits.text != null ? limits.text : read(limits.file));
        } catch (LimitsSyntaxException e) {
            return limitsInvalid(e);
        }
        DryRun dryRun;
        try {
            dryRun = DryRun.of(parsed, new DryRun.Sample(method, url, headers, bodyBytes()), DEFAULTS);
        } catch (BadSampleException e) {
            spec.commandLine().getErr().println("tokengate check: " + e.getMessage());
            return Main.USAGE;
        }
        out.println(json ? mapper.writeValueAsString(dryRun.toJson()) : dryRun.toText());
        out.flush();
        return dryRun.allowed() ? ALLOWED : DENIED;
    }

    /** Offline, the check knows no settings: a path outside the default endpoints is a 404. */
    private static Optional<String> notServed(String url, CanonicalPath path) {
        if (GatewayConfig.serves(ENDPOINTS, EXCLUDED_ENDPOINTS, path)) {
            return Optional.empty();
        }
        return Optional.of("by default it serves " + String.join(", ", ENDPOINTS) + " except "
                + String.join(", ", EXCLUDED_ENDPOINTS)
                + ", whatever a token's limits say (a gateway with other gateway.endpoints:"
                + " ask its POST /api/v1/check)");
    }

    private int limitsInvalid(LimitsSyntaxException e) throws IOException {
        if (json) {
            ObjectNode error = mapper.createObjectNode().put("error", "the limits do not parse");
            ArrayNode problems = error.putArray("problems");
            for (LimitsProblem p : e.problems()) {
                problems.addObject()
                        .put("line", p.line())
                        .put("column", p.column())
                        .put("reason", p.reason());
            }
            spec.commandLine().getOut().println(mapper.writeValueAsString(error));
            spec.commandLine().getOut().flush();
        } else {
            PrintWriter err = spec.commandLine().getErr();
            err.println("The limits do not parse:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
        }
        return LIMITS_INVALID;
    }

    private byte[] bodyBytes() throws IOException {
        if (body == null) {
            return null;
        }
        return body.text != null ? body.text.getBytes(StandardCharsets.UTF_8) : readBytes(body.file);
    }

    private String read(Path file) throws IOException {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    private byte[] readBytes(Path file) throws IOException {
        return file.toString().equals("-") ? Shell.of(spec).in().readAllBytes() : Files.readAllBytes(file);
    }
}
