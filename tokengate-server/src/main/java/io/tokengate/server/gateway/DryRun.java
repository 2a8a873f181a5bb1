package io.tokengate.server.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Limits;
import io.tokengate.core.limits.Rule;
import io.tokengate.core.limits.RuleFailure;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.RefusedMethodException;
import io.tokengate.server.request.SampleRequest;
import io.tokengate.server.request.TargetTooLongException;
import java.util.Optional;

/**
 * What the gateway would do with a sample request under some limits, found without sending it
 * anywhere: the dry run behind {@code POST /api/v1/check} and {@code tokengate check}, which print
 * it in one shape ({@link #toJson}), so that a script reads either the same way.
 *
 * <p>Beside the limits' decision it makes the refusals the gateway makes of the request as written:
 * a request line longer than it reads (414), malformed (400), a method it never forwards (405), a
 * path it does not serve (404), a body longer than {@code body.inspect.max} that the limits must
 * read (413), and more query parameters than Jira reads under a rule that judges them (400, {@link
 * QueryParameterCount}). Those that hang on headers it cannot make: a sample has
 * none (a form body, a charset, headers that push a long request line past the head the gateway
 * reads).
 */
public final class DryRun {
    /** Why the gateway would not serve a request's path at all, if it would not. */
    public interface Endpoints {
        /**
         * @param url the sample's URL as given
         * @param path its path as the gateway canonicalizes it
         * @return why the gateway answers 404 whatever a token's limits say; empty if it serves it
         */
        Optional<String> notServed(String url, CanonicalPath path);
    }

    private final GatewayRequestView request;
    private final Decision decision;
    /** The status the gateway answers itself with, or 0 when the limits' decision stands. */
    private final int status;
    /** Why the gateway answers {@link #status} itself; null when the limits' decision stands. */
    private final String rejection;

    private DryRun(GatewayRequestView request, Decision decision, int status, String rejection) {
        this.request = request;
        this.decision = decision;
        this.status = status;
        this.rejection = rejection;
    }

    /**
     * Decides on {@code method url} with {@code body} (null for none) as the gateway would.
     *
     * @param bodyInspectMax {@code body.inspect.max}: a longer body that the limits must read is
     *     refused (413)
     * @throws IllegalArgumentException when {@code method} is not an HTTP method or {@code url} not
     *     an absolute http(s) URL: the question is wrong, whatever a gateway would answer
     */
    public static DryRun of(
            Limits limits, String method, String url, byte[] body, Endpoints endpoints, int bodyInspectMax) {
        GatewayRequestView request;
        try {
            request = SampleRequest.screened(method, url, body, limits.jsonPaths());
        } catch (TargetTooLongException e) {
            return beforeLimits(414, e.getMessage());
        } catch (RefusedMethodException e) {
            return beforeLimits(405, e.getMessage());
        } catch (MalformedRequestException e) {
            return beforeLimits(400, e.getMessage());
        }
        Optional<String> notServed = endpoints.notServed(url, request.path());
        if (notServed.isPresent()) {
            return beforeLimits(404, notServed.get());
        }
        if (body != null && body.length > bodyInspectMax && limits.needsBody(request)) {
            RequestScreen.Refusal tooLarge = BodyRules.tooLarge(bodyInspectMax);
            return new DryRun(null, null, tooLarge.status(), tooLarge.message());
        }
        Decision decision = limits.evaluate(request);
        return QueryParameterCount.refusal(decision, request.query().raw())
                .map(tooMany -> new DryRun(null, null, 400, tooMany))
                .orElseGet(() -> new DryRun(request, decision, 0, null));
    }

    private static DryRun beforeLimits(int status, String why) {
        return new DryRun(null, null, status, "the gateway refuses this request before any limits apply: " + why);
    }

    /** True when the gateway would forward the request. */
    public boolean allowed() {
        return rejection == null && decision.allowed();
    }

    /**
     * How the gateway answers the request itself, {@code REJECTED (status): why}; or, when the
     * limits decide, their decision explained rule by rule.
     */
    public String explanation() {
        return rejection != null ? "REJECTED (" + status + "): " + rejection : decision.explain();
    }

    /** For people: the {@link #explanation}, after the request as canonicalized when the limits decide. */
    public String toText() {
        if (rejection != null) {
            return explanation();
        }
        String query = request.query().raw();
        return request.method() + " " + request.url() + (query.isEmpty() ? "" : "?" + query) + "\n" + explanation();
    }

    /** The {@code CheckResult} of the admin API's OpenAPI document. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("allowed", allowed());
        json.put("rejected", rejection != null);
        if (rejection != null) {
            json.put("status", status);
            json.put("reason", rejection);
            json.put("explanation", explanation());
            json.putNull("request");
            json.putNull("rule");
            json.putArray("failures");
            return json;
        }
        json.put("reason", decision.reason());
        json.put("explanation", explanation());
        json.putObject("request")
                .put("method", request.method())
                .put("url", request.url())
                .put("query", request.query().raw());
        json.set("rule", decision.rule().map(DryRun::rule).orElse(null));
        ArrayNode failures = json.putArray("failures");
        for (RuleFailure failure : decision.failures()) {
            failures.add(rule(failure.rule())
                    .put("failedPart", failure.part().toString())
                    .put("reason", failure.reason()));
        }
        return json;
    }

    private static ObjectNode rule(Rule rule) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("number", rule.number())
                .put("line", rule.line())
                .put("text", rule.toString());
    }
}
