package io.tokengate.server.gateway;

import io.tokengate.core.limits.Decision;
import io.tokengate.core.limits.Rule;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.QueryString;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.JsonBody;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Decides on an authenticated request by its token's restrictions, and hands an allowed one to
 * the {@link Forwarder}. The body is read only when a rule under evaluation has a JSON condition,
 * and then without blocking ({@link InspectedBody}): refused first if it cannot be inspected as
 * the upstream will read it ({@link BodyRules}: 413, 415), then parsed once, and the exact bytes
 * inspected are what is forwarded ({@link BufferedRequest}). Most requests never pay for a body:
 * their rules decide on method, URL and query alone. A request allowed by a rule that judges
 * query parameters is refused if it carries a form body ({@link FormParameters}), whose
 * parameters Jira reads with the query's, declares a charset Jira could decode the query in
 * ({@link QueryCharset}), or has more query parameters than Jira reads ({@link
 * QueryParameterCount}). An allowed request's body is read before it is forwarded when it is a form,
 * for the parameters by which Jira would run it as someone else ({@link FormBody}), and under a
 * rule that judges query parameters, for the fields Jira may read instead, each of which must be
 * there and meet the condition on its parameter ({@link QueryFieldsInBody}).
 */
final class RestrictionCheck {
    private final GatewayConfig config;
    private final RequestScreen screen;
    private final Refusals refusals;
    private final Forwarder forwarder;
    private final InspectionMemory memory;

    RestrictionCheck(
            GatewayConfig config,
            RequestScreen screen,
            Refusals refusals,
            Forwarder forwarder,
            InspectionMemory memory) {
        this.config = config;
        this.screen = screen;
        this.refusals = refusals;
        this.forwarder = forwarder;
        this.memory = memory;
    }

    /** Decides on the request as canonicalized ({@code path}, {@code query}); forwards it if allowed. */
    void decide(
            Exchange exchange,
            CanonicalPath path,
            QueryString query,
            Request request,
            Response response,
            Callback callback) {
        var limits = exchange.token.limits();
        GatewayRequestView withoutBody =
                new GatewayRequestView(exchange.method, config.publicUrl(), path, query, () -> JsonBody.absent());
        if (!limits.needsBody(withoutBody)) {
            decided(exchange, limits.evaluate(withoutBody), request, null, response, callback);
            return;
        }
        Optional<RequestScreen.Refusal> uninspectable =
                BodyRules.refuseUninspectable(request.getHeaders(), request.getLength(), config.bodyInspectMax());
        if (uninspectable.isPresent()) {
            refusals.refuse(exchange, response, callback, uninspectable.get());
            return;
        }
        read(exchange, request, response, callback, new ForLimits(path, query));
    }

    private void read(Exchange exchange, Request request, Response response, Callback callback, Purpose purpose) {
        BodyOutcome outcome = new BodyOutcome(exchange, request, response, callback, purpose);
        InspectedBody.read(request, config.bodyInspectMax(), config.bodyInspectTimeout(), outcome.hold, outcome);
    }

    /** What a body is read for: what follows once it is, and the words for one too long or too slow to come. */
    private interface Purpose {
        void read(Exchange exchange, byte[] body, Request buffered, Response response, Callback callback);

        RequestScreen.Refusal tooLarge();

        RequestScreen.Refusal tooSlow();
    }

    /** The body of a request a JSON condition must see: decided on once read. */
    private final class ForLimits implements Purpose {
        private final CanonicalPath path;
        private final QueryString query;

        ForLimits(CanonicalPath path, QueryString query) {
            this.path = path;
            this.query = query;
        }

        @Override
        public void read(Exchange exchange, byte[] body, Request buffered, Response response, Callback callback) {
            JsonBody json = JsonBody.parse(body, exchange.token.limits().jsonPaths());
            Decision decision = exchange.token
                    .limits()
                    .evaluate(new GatewayRequestView(exchange.method, config.publicUrl(), path, query, () -> json));
            decided(exchange, decision, buffered, body, response, callback);
        }

        @Override
        public RequestScreen.Refusal tooLarge() {
            return BodyRules.tooLarge(config.bodyInspectMax());
        }

        @Override
        public RequestScreen.Refusal tooSlow() {
            return BodyRules.tooSlow(config.bodyInspectTimeout());
        }
    }

    /** The body of an allowed request, read for what it may carry beside the limits ({@link BodyCheck}). */
    private final class BeforeForwarding implements Purpose {
        private final Decision allowed;
        private final BodyCheck check;

        BeforeForwarding(Decision allowed, BodyCheck check) {
            this.allowed = allowed;
            this.check = check;
        }

        @Override
        public void read(Exchange exchange, byte[] body, Request buffered, Response response, Callback callback) {
            forwardChecked(exchange, check, allowed, body, buffered, response, callback);
        }

        @Override
        public RequestScreen.Refusal tooLarge() {
            return check.tooLarge(config.bodyInspectMax());
        }

        @Override
        public RequestScreen.Refusal tooSlow() {
            return check.tooSlow(config.bodyInspectTimeout());
        }
    }

    /**
     * Decides on the request once its body is read, or refuses it for why it could not be. The
     * memory the body takes is held from its first byte until the upstream has it (the {@link
     * BufferedRequest} gives it back), or, when it never gets that far, until the exchange ends.
     */
    private final class BodyOutcome implements InspectedBody.Outcome {
        private final Exchange exchange;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Purpose purpose;
        final InspectionMemory.Hold hold;

        BodyOutcome(Exchange exchange, Request request, Response response, Callback callback, Purpose purpose) {
            this.exchange = exchange;
            this.request = request;
            this.response = response;
            this.purpose = purpose;
            this.hold = memory.hold(exchange.token.id());
            this.callback = new Callback.Nested(callback) {
                @Override
                public void completed() {
                    hold.release();
                }
            };
        }

        @Override
        public void read(byte[] body) {
            try {
                purpose.read(exchange, body, new BufferedRequest(request, body, hold::release), response, callback);
            } catch (RuntimeException | Error e) {
                // Answered here: the body may arrive after the handler has returned.
                refusals.internalError(
                        exchange, response, callback, e, "{}: unexpected failure after reading the body");
            }
        }

        @Override
        public void tooLarge() {
            refusals.refuse(exchange, response, callback, purpose.tooLarge());
        }

        @Override
        public void noRoom(InspectionMemory.Growth refused) {
            if (refused == InspectionMemory.Growth.TOKEN_AT_SHARE) {
                refusals.tokenAtInspectionShare(exchange, response, callback);
            } else {
                refusals.inspectionFull(exchange, response, callback, memory.held(), memory.capacity());
            }
        }

        @Override
        public void tooSlow() {
            refusals.refuse(exchange, response, callback, purpose.tooSlow());
        }

        @Override
        public void failed(Throwable failure) {
            refusals.refuse(
                    exchange,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    "The request body could not be read (" + BodyRules.describe(failure) + ").",
                    "body could not be read: " + BodyRules.describe(failure));
        }
    }

    /** {@code body}: the request's body when it was read for the decision, else null. */
    private void decided(
            Exchange exchange, Decision decision, Request request, byte[] body, Response response, Callback callback) {
        if (!decision.allowed()) {
            refusals.refuse(
                    exchange,
                    response,
                    callback,
                    HttpStatus.FORBIDDEN_403,
                    "The token's restrictions do not allow " + exchange.method + " " + exchange.path + ".",
                    decision.reason());
            return;
        }
        boolean hasBody = BodyRules.hasBody(request);
        Optional<RequestScreen.Refusal> otherParameters =
                besideAllowingRule(decision, request.getHeaders(), hasBody, exchange.query);
        if (otherParameters.isPresent()) {
            refusals.refuse(exchange, response, callback, otherParameters.get());
            return;
        }
        Optional<BodyCheck> check = BodyCheck.of(decision, request.getHeaders(), hasBody);
        if (check.isEmpty()) {
            forward(exchange, decision, request, response, callback);
        } else if (body != null) {
            forwardChecked(exchange, check.get(), decision, body, request, response, callback);
        } else {
            Optional<RequestScreen.Refusal> unreadable =
                    check.get().unreadable(request.getHeaders(), request.getLength(), config.bodyInspectMax());
            if (unreadable.isPresent()) {
                refusals.refuse(exchange, response, callback, unreadable.get());
                return;
            }
            read(exchange, request, response, callback, new BeforeForwarding(decision, check.get()));
        }
    }

    /**
     * Forwards an allowed request whose body ({@code body}, which {@code request} replays) was
     * read, unless the gateway refuses what {@code check} finds in it.
     */
    private void forwardChecked(
            Exchange exchange,
            BodyCheck check,
            Decision allowed,
            byte[] body,
            Request request,
            Response response,
            Callback callback) {
        Optional<RequestScreen.Refusal> refused = check.refusal(screen, allowed, body);
        if (refused.isPresent()) {
            refusals.refuse(exchange, response, callback, refused.get());
            return;
        }
        forward(exchange, allowed, request, response, callback);
    }

    /**
     * What the gateway reads the body of a request its limits allow for, before forwarding it: a
     * form body, for the parameters Jira would sign in by ({@link FormBody}); any other body, when
     * the allowing rule judges query parameters, for fields Jira may read instead of them ({@link
     * QueryFieldsInBody}). Decided once per request, for the gateway and the dry runs.
     */
    enum BodyCheck {
        FORM,
        QUERY_FIELDS;

        /** The check an allowed request's body gets, if any. */
        static Optional<BodyCheck> of(Decision allowed, HttpFields headers, boolean hasBody) {
            if (!hasBody) {
                return Optional.empty();
            }
            if (FormBody.declared(headers)) {
                return Optional.of(FORM);
            }
            return allowed.rule().filter(Rule::judgesQueryParameters).map(rule -> QUERY_FIELDS);
        }

        /** Why the gateway cannot read the body as Jira would: its charset, its encoding, its length. */
        Optional<RequestScreen.Refusal> unreadable(HttpFields headers, long length, int max) {
            return this == FORM
                    ? FormBody.unreadable(headers, length, max)
                    : BodyRules.refuseUninspectable(headers, length, max);
        }

        /** What the gateway refuses in the body, once read; {@code screen} what it refuses in a query. */
        Optional<RequestScreen.Refusal> refusal(RequestScreen screen, Decision allowed, byte[] body) {
            return this == FORM
                    ? screen.screen(FormBody.names(body), FormBody.WHERE)
                    : QueryFieldsInBody.refusal(allowed.rule().orElseThrow(), body);
        }

        RequestScreen.Refusal tooLarge(int max) {
            return this == FORM ? FormBody.tooLarge(max) : BodyRules.tooLarge(max);
        }

        RequestScreen.Refusal tooSlow(Duration timeout) {
            return this == FORM ? FormBody.tooSlow(timeout) : BodyRules.tooSlow(timeout);
        }
    }

    private void forward(Exchange exchange, Decision allowed, Request request, Response response, Callback callback) {
        exchange.matchedRule = allowed.rule().map(Object::toString).orElse(null);
        forwarder.forward(exchange, request, response, callback, allowed.reason());
    }

    /**
     * Why the gateway refuses a request its limits allow, when the rule that allows it judges query
     * parameters: a form body, a charset Jira could decode the query in, more parameters than Jira
     * reads; empty when it forwards it. Under any other rule, how Jira reads parameters does not
     * matter, and the three checks (which take that as given) are skipped, allocation and all.
     * {@code rawQuery}: null for none.
     */
    static Optional<RequestScreen.Refusal> besideAllowingRule(
            Decision allowed, HttpFields headers, boolean hasBody, String rawQuery) {
        Rule allowing = allowed.rule().orElse(null);
        if (allowing == null || !allowing.judgesQueryParameters()) {
            return Optional.empty();
        }
        return FormParameters.refusal(allowing, headers, hasBody)
                .or(() -> QueryCharset.refusal(allowing, headers))
                .or(() -> QueryParameterCount.refusal(allowing, rawQuery));
    }
}
