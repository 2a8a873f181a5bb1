package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.limits.LimitsProblem;
import io.tokengate.core.limits.LimitsSyntaxException;
import io.tokengate.core.limits.Rule;
import io.tokengate.core.limits.RuleFailure;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.QueryParameterCount;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.RefusedMethodException;
import io.tokengate.server.request.SampleRequest;
import io.tokengate.server.request.TargetTooLongException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/check}: the dry run of {@code tokengate check} over HTTP. Limits (given as
 * text, or those of a token the caller may see) decide on a sample request that goes through the
 * data plane's canonicalization; nothing is forwarded anywhere. Beside the limits it makes the
 * refusals the gateway makes of the request as written: a request line longer than it reads,
 * malformed, a refused method, a path not served, and more query parameters than Jira reads under
 * a rule that judges them ({@link QueryParameterCount}). Those that hang on headers the sample has
 * none of (a form body, a charset, headers that push a long request line past the head the
 * gateway reads) it cannot make.
 */
final class CheckResource {
    private static final Set<String> FIELDS = Set.of("limits", "tokenId", "method", "url", "body");

    private final VisibleTokens tokens;

    private final List<String> endpoints;
    private final List<String> excludedEndpoints;

    private final String publicUrl;
    /** The path of {@link #publicUrl}; null or empty when it has none. */
    private final String publicPath;

    /**
     * {@code endpoints} and {@code excludedEndpoints}: what the gateway serves, which a dry run
     * honours too, for paths under {@code publicUrl} (which a proxy in front may serve under a
     * path of its own, such as {@code https://host/gateway}).
     */
    CheckResource(VisibleTokens tokens, List<String> endpoints, List<String> excludedEndpoints, String publicUrl) {
        this.endpoints = List.copyOf(endpoints);
        this.excludedEndpoints = List.copyOf(excludedEndpoints);
        this.publicUrl = publicUrl;
        this.publicPath = URI.create(publicUrl).getRawPath();
        this.tokens = tokens;
    }

    void routes(Router router) {
        router.add("POST", "/api/v1/check", this::check);
    }

    private void check(ApiExchange ex) {
        BodyFields body = ex.body(FIELDS);
        Optional<String> limitsText =
                body.raw("limits").isPresent() ? Optional.of(body.text("limits").orElse("")) : Optional.empty();
        Optional<String> tokenId = body.text("tokenId");
        if (limitsText.isPresent() == tokenId.isPresent()) {
            throw ApiError.badRequest("limits", "give either limits (the text) or tokenId (a token's limits)");
        }
        String text =
                limitsText.orElseGet(() -> tokens.visible(ex, tokenId.get()).limits());
        Limits limits = parse(text, tokenId.isPresent() ? "tokenId" : "limits");
        String method = body.text("method").orElse("GET").strip();
        String url = body.requiredText("url").strip();
        GatewayRequestView request;
        try {
            request = SampleRequest.screened(method, url, sampleBody(body));
        } catch (TargetTooLongException e) {
            ex.send(200, rejected(414, e.getMessage()));
            return;
        } catch (RefusedMethodException e) {
            ex.send(200, rejected(405, e.getMessage()));
            return;
        } catch (MalformedRequestException e) {
            ex.send(200, rejected(400, e.getMessage()));
            return;
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("invalid HTTP method") ? "method" : "url";
            throw ApiError.badRequest(field, e.getMessage());
        }
        if (!GatewayConfig.serves(endpoints, excludedEndpoints, servedPath(url, request.path()))) {
            ex.send(
                    200,
                    rejected(
                            404,
                            "it serves " + String.join(", ", endpoints)
                                    + (excludedEndpoints.isEmpty()
                                            ? ""
                                            : " except " + String.join(", ", excludedEndpoints))
                                    + ", whatever a token's limits say"));
            return;
        }
        Decision decision = limits.evaluate(request);
        Optional<String> tooManyParameters =
                QueryParameterCount.refusal(decision, request.query().raw());
        if (tooManyParameters.isPresent()) {
            ex.send(200, rejection(400, tooManyParameters.get(), "REJECTED (400): " + tooManyParameters.get()));
            return;
        }
        ex.send(200, decision(request, decision));
    }

    /**
     * The path the gateway itself receives for {@code url}: without the path of the public URL, when
     * {@code url} starts with it (a proxy in front serves the gateway there and strips it).
     */
    private CanonicalPath servedPath(String url, CanonicalPath path) {
        if (publicPath == null || publicPath.isEmpty() || publicPath.equals("/") || !url.startsWith(publicUrl + "/")) {
            return path;
        }
        String encoded = path.encoded();
        return encoded.startsWith(publicPath + "/")
                ? CanonicalPath.parse(encoded.substring(publicPath.length()))
                : path;
    }

    /** A request the gateway answers itself, with {@code status}, before any limits apply. */
    private static ObjectNode rejected(int status, String why) {
        return rejection(
                status,
                "the gateway refuses this request before any limits apply: " + why,
                "REJECTED (" + status + "): the gateway refuses this request: " + why);
    }

    /** A request the gateway answers itself with {@code status}, not by the limits' decision. */
    private static ObjectNode rejection(int status, String reason, String explanation) {
        ObjectNode json = Json.object();
        json.put("allowed", false);
        json.put("rejected", true);
        json.put("status", status);
        json.put("reason", reason);
        json.put("explanation", explanation);
        json.putNull("request");
        json.putNull("rule");
        json.putArray("failures");
        return json;
    }

    /** Parses limits; 400 with every problem's line and column otherwise. */
    static Limits parse(String text, String field) {
        try {
            return LimitsParser.parse(text);
        } catch (LimitsSyntaxException e) {
            throw limitsError(e, field);
        }
    }

    static ApiError limitsError(LimitsSyntaxException e, String field) {
        ArrayNode problems = Json.MAPPER.createArrayNode();
        for (LimitsProblem p : e.problems()) {
            problems.addObject().put("line", p.line()).put("column", p.column()).put("reason", p.reason());
        }
        return new ApiError(400, "limits: " + e.getMessage(), field, problems);
    }

    private static byte[] sampleBody(BodyFields body) {
        Optional<JsonNode> raw = body.raw("body");
        if (raw.isEmpty() || raw.get().isNull()) {
            return null;
        }
        String text = raw.get().isTextual() ? raw.get().asText() : raw.get().toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode decision(GatewayRequestView request, Decision decision) {
        ObjectNode json = Json.object();
        json.put("allowed", decision.allowed());
        json.put("rejected", false);
        json.put("reason", decision.reason());
        json.put("explanation", decision.explain());
        json.putObject("request")
                .put("method", request.method())
                .put("url", request.url())
                .put("query", request.query().raw());
        if (decision.rule().isPresent()) {
            json.set("rule", rule(decision.rule().get()));
        } else {
            json.putNull("rule");
        }
        ArrayNode failures = json.putArray("failures");
        for (RuleFailure failure : decision.failures()) {
            ObjectNode entry = rule(failure.rule());
            entry.put("failedPart", failure.part().toString()).put("reason", failure.reason());
            failures.add(entry);
        }
        return json;
    }

    private static ObjectNode rule(Rule rule) {
        return Json.object()
                .put("number", rule.number())
                .put("line", rule.line())
                .put("text", rule.toString());
    }
}
