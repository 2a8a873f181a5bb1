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
import io.tokengate.server.request.BadSampleException;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.RefusedMethodException;
import io.tokengate.server.request.SampleRequest;
import io.tokengate.server.request.TargetTooLongException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;

/**
 * What the gateway would do with a sample request under some limits, found without sending it
 * anywhere: the dry run behind {@code POST /api/v1/check} and {@code tokengate check}, which print
 * it in one shape ({@link #toJson}), so that a script reads either the same way.
 *
 * <p>Beside the limits' decision it makes the refusals the gateway makes of the request as written,
 * in the gateway's order: a request line longer than it reads (414), a method it never forwards
 * (405), a malformed request or one whose headers two servers could read differently (400), a
 * path it does not serve (404), a body the limits must read that it cannot read as Jira will (415)
 * or that is longer than {@code body.inspect.max} (413), and, under a rule that judges query
 * parameters, a form body, a charset other than UTF-8 or more query parameters than Jira reads
 * (400); and, when the limits allow it, a form body that carries Jira's sign-in parameters, or,
 * under a rule that judges query parameters, a body without each of them as a field its
 * condition allows (400), or either that cannot be read for it (413, 415). What it cannot know it does not make: who the caller is (401, 403 for an address or
 * run-as), rates and throttles (429), and a head the sample's headers push past what the gateway
 * reads (431).
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

    /**
     * A request to decide on: {@code headers} as {@code Name: value} lines, as curl's {@code -H}
     * takes them; {@code body} null for none.
     */
    public record Sample(String method, String url, List<String> headers, byte[] body) {}

    /** What the gateway is configured with, as far as its refusals depend on it. */
    public record Settings(Endpoints endpoints, int bodyInspectMax, UpstreamIdentity identity, RefusedNames refused) {}

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
     * Decides on the sample as the gateway would.
     *
     * @throws BadSampleException when the method is not an HTTP method, the URL not an
     *     absolute http(s) URL or a header not {@code Name: value} (or one that frames the body,
     *     which the sample's body does): the question is wrong, whatever a gateway would answer
     */
    public static DryRun of(Limits limits, Sample sample, Settings settings) {
        HttpFields headers = headers(sample.headers());
        GatewayRequestView request;
        try {
            request = SampleRequest.screened(sample.method(), sample.url(), sample.body(), limits.jsonPaths());
        } catch (TargetTooLongException e) {
            return beforeLimits(414, e.getMessage());
        } catch (RefusedMethodException e) {
            return beforeLimits(405, e.getMessage());
        } catch (MalformedRequestException e) {
            return beforeLimits(400, e.getMessage());
        }
        // In the gateway's order: the head's fields, then the decoded parameters.
        RequestScreen screen = new RequestScreen(settings.identity(), settings.refused());
        Optional<RequestScreen.Refusal> screened = screen.screen(headers).or(() -> screen.screen(request.query()));
        if (screened.isPresent()) {
            return beforeLimits(screened.get());
        }
        Optional<String> notServed = settings.endpoints().notServed(sample.url(), request.path());
        if (notServed.isPresent()) {
            return beforeLimits(404, notServed.get());
        }
        long length = sample.body() == null ? 0 : sample.body().length;
        if (limits.needsBody(request)) {
            Optional<RequestScreen.Refusal> uninspectable =
                    BodyRules.refuseUninspectable(headers, length, settings.bodyInspectMax());
            if (uninspectable.isPresent()) {
                return byTheGateway(uninspectable.get());
            }
        }
        Decision decision = limits.evaluate(request);
        Optional<RequestScreen.Refusal> beside = RestrictionCheck.besideAllowingRule(
                decision, headers, length > 0, request.query().raw());
        if (beside.isPresent()) {
            return byTheGateway(beside.get());
        }
        Optional<RestrictionCheck.BodyCheck> check =
                decision.allowed() ? RestrictionCheck.BodyCheck.of(decision, headers, length > 0) : Optional.empty();
        if (check.isPresent()) {
            Optional<RequestScreen.Refusal> body = check.get()
                    .unreadable(headers, length, settings.bodyInspectMax())
                    .or(() -> check.get().refusal(screen, decision, sample.body()));
            if (body.isPresent()) {
                return byTheGateway(body.get());
            }
        }
        return new DryRun(request, decision, 0, null);
    }

    /** The sample's header lines as fields; the body's framing is the body's own. */
    private static HttpFields headers(List<String> lines) {
        HttpFields.Mutable fields = HttpFields.build();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon);
            if (!RequestScreen.isFieldName(name)) {
                throw new BadSampleException(
                        BadSampleException.Part.HEADERS, "a header is written 'Name: value', got '" + line + "'");
            }
            String value = line.substring(colon + 1).strip();
            if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                // On the wire a line break would start another header, which this one would hide.
                throw new BadSampleException(
                        BadSampleException.Part.HEADERS,
                        "a header value holds a control character: '" + line.strip() + "'");
            }
            String normalized = name.toLowerCase(Locale.ROOT);
            if (normalized.equals("content-length") || normalized.equals("transfer-encoding")) {
                throw new BadSampleException(
                        BadSampleException.Part.HEADERS,
                        "the sample's body sets its length: leave out the header " + name);
            }
            fields.add(name, value);
        }
        return fields;
    }

    /** A refusal the gateway makes, in its words to the client. */
    private static DryRun byTheGateway(RequestScreen.Refusal refusal) {
        return new DryRun(null, null, refusal.status(), refusal.message());
    }

    private static DryRun beforeLimits(RequestScreen.Refusal refusal) {
        return beforeLimits(refusal.status(), refusal.reason());
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
