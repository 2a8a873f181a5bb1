package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.limits.LimitsProblem;
import io.tokengate.core.limits.LimitsSyntaxException;
import io.tokengate.core.limits.Rule;
import io.tokengate.core.limits.RuleFailure;
import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.server.config.Key;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.QueryParameterCount;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.RefusedMethodException;
import io.tokengate.server.request.SampleRequest;
import io.tokengate.server.request.TargetTooLongException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            "The sample has no headers: the gateway also refuses a request a rule judging query parameters"
                    + " allows when it carries a form body or a Content-Type charset other than UTF-8, which"
                    + " this check cannot see.",
            "",
            "Example:",
            "  tokengate check --limits-text '[post].*/rest/api/2/issue/KANBAN-100/comment.*' \\",
            "      --method POST --url https://gw.example.com/rest/api/2/issue/KANBAN-100/comment",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:allowed",
            "1:denied (including a request the gateway refuses itself, REJECTED with its status: malformed or"
                    + " too long, a method it never forwards, a path it does not serve by default, more than 1000 query"
                    + " parameters when the rule that allows it judges query parameters)",
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

    @ArgGroup
    private BodySource body;

    static final class BodySource {
        @Option(names = "--body", paramLabel = "FILE", description = "File with the request body ('-' for stdin).")
        Path file;

        @Option(names = "--body-text", paramLabel = "JSON", description = "The request body itself.")
        String text;
    }

    @Option(names = "--json", description = "Print the decision as JSON.")
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
        GatewayRequestView request;
        try {
            request = SampleRequest.screened(method, url, bodyBytes());
        } catch (TargetTooLongException e) {
            return rejected(out, 414, e.getMessage());
        } catch (RefusedMethodException e) {
            return rejected(out, 405, e.getMessage());
        } catch (MalformedRequestException e) {
            return rejected(out, 400, e.getMessage());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("tokengate check: " + e.getMessage());
            return Main.USAGE;
        }
        if (!GatewayConfig.serves(ENDPOINTS, EXCLUDED_ENDPOINTS, request.path())) {
            return rejected(
                    out,
                    404,
                    "by default it serves " + String.join(", ", ENDPOINTS) + " except "
                            + String.join(", ", EXCLUDED_ENDPOINTS)
                            + ", whatever a token's limits say (a gateway with other gateway.endpoints:"
                            + " ask its POST /api/v1/check)");
        }
        Decision decision = parsed.evaluate(request);
        Optional<String> tooManyParameters =
                QueryParameterCount.refusal(decision, request.query().raw());
        if (tooManyParameters.isPresent()) {
            return refused(out, 400, tooManyParameters.get(), tooManyParameters.get());
        }
        if (json) {
            out.println(mapper.writeValueAsString(toJson(request, decision)));
        } else {
            out.println(request.method() + " " + request.url()
                    + (request.query().raw().isEmpty()
                            ? ""
                            : "?" + request.query().raw()));
            out.println(decision.explain());
        }
        out.flush();
        return decision.allowed() ? ALLOWED : DENIED;
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

    /** A request the gateway refuses, with {@code status}, before any limits apply. */
    private int rejected(PrintWriter out, int status, String reason) throws IOException {
        return refused(
                out,
                status,
                "the gateway refuses this request: " + reason,
                "the gateway refuses this request before any limits apply: " + reason);
    }

    /** Prints that the gateway answers {@code status}: {@code jsonReason} with --json, else {@code message}. */
    private int refused(PrintWriter out, int status, String jsonReason, String message) throws IOException {
        if (json) {
            out.println(mapper.writeValueAsString(mapper.createObjectNode()
                    .put("allowed", false)
                    .put("rejected", true)
                    .put("status", status)
                    .put("reason", jsonReason)));
        } else {
            out.println("REJECTED (" + status + "): " + message);
        }
        out.flush();
        return DENIED;
    }

    private ObjectNode toJson(GatewayRequestView request, Decision decision) {
        ObjectNode result = mapper.createObjectNode();
        result.put("allowed", decision.allowed()).put("rejected", false).put("reason", decision.reason());
        result.putObject("request")
                .put("method", request.method())
                .put("url", request.url())
                .put("query", request.query().raw());
        decision.rule().ifPresent(rule -> result.set("rule", rule(rule)));
        ArrayNode failures = result.putArray("failures");
        for (RuleFailure failure : decision.failures()) {
            ObjectNode entry = failures.addObject();
            entry.setAll(rule(failure.rule()));
            entry.put("failedPart", failure.part().toString()).put("reason", failure.reason());
        }
        return result;
    }

    private ObjectNode rule(Rule rule) {
        return mapper.createObjectNode()
                .put("rule", rule.number())
                .put("line", rule.line())
                .put("text", rule.toString());
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
