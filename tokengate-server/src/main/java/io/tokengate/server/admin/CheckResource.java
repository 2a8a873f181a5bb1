package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.limits.LimitsProblem;
import io.tokengate.core.limits.LimitsSyntaxException;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.server.gateway.DryRun;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.RefusedNames;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.request.BadSampleException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/check}: the dry run of {@code tokengate check} over HTTP ({@link DryRun}).
 * Limits (given as text, or those of a token the caller may see) decide on a sample request that
 * goes through the data plane's canonicalization; nothing is forwarded anywhere. Unlike the
 * offline command, it knows which paths this gateway serves.
 */
final class CheckResource {
    private static final Set<String> FIELDS = Set.of("limits", "tokenId", "method", "url", "headers", "body");

    private final VisibleTokens tokens;

    private final List<String> endpoints;
    private final List<String> excludedEndpoints;

    private final String publicUrl;
    /** The path of {@link #publicUrl}; null or empty when it has none. */
    private final String publicPath;
    /** What the gateway's refusals depend on: these endpoints, its body.inspect.max and identity header. */
    private final DryRun.Settings settings;

    /**
     * {@code endpoints} and {@code excludedEndpoints}: what the gateway serves, which a dry run
     * honours too, for paths under {@code publicUrl} (which a proxy in front may serve under a
     * path of its own, such as {@code https://host/gateway}); {@code bodyInspectMax}, {@code
     * identity} and {@code refused}: the gateway's settings of those names.
     */
    CheckResource(
            VisibleTokens tokens,
            List<String> endpoints,
            List<String> excludedEndpoints,
            String publicUrl,
            int bodyInspectMax,
            UpstreamIdentity identity,
            RefusedNames refused) {
        this.settings = new DryRun.Settings(this::notServed, bodyInspectMax, identity, refused);
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
        DryRun dryRun;
        try {
            dryRun = DryRun.of(limits, new DryRun.Sample(method, url, sampleHeaders(body), sampleBody(body)), settings);
        } catch (BadSampleException e) {
            throw ApiError.badRequest(e.part().field(), e.getMessage());
        }
        ex.send(200, dryRun.toJson());
    }

    /** Why the gateway answers 404 for {@code url}, whose canonical path is {@code path}, if it does. */
    private Optional<String> notServed(String url, CanonicalPath path) {
        if (GatewayConfig.serves(endpoints, excludedEndpoints, servedPath(url, path))) {
            return Optional.empty();
        }
        return Optional.of("it serves " + String.join(", ", endpoints)
                + (excludedEndpoints.isEmpty() ? "" : " except " + String.join(", ", excludedEndpoints))
                + ", whatever a token's limits say");
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

    /** The sample's header lines: an array of {@code Name: value} strings, as curl's {@code -H} takes them. */
    private static List<String> sampleHeaders(BodyFields body) {
        Optional<JsonNode> raw = body.raw("headers");
        if (raw.isEmpty() || raw.get().isNull()) {
            return List.of();
        }
        ApiError notLines =
                ApiError.badRequest("headers", "must be an array of strings such as \"Content-Type: text/plain\"");
        if (!raw.get().isArray()) {
            throw notLines;
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode line : raw.get()) {
            if (!line.isTextual()) {
                throw notLines;
            }
            lines.add(line.asText());
        }
        return lines;
    }

    private static byte[] sampleBody(BodyFields body) {
        Optional<JsonNode> raw = body.raw("body");
        if (raw.isEmpty() || raw.get().isNull()) {
            return null;
        }
        String text = raw.get().isTextual() ? raw.get().asText() : raw.get().toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
