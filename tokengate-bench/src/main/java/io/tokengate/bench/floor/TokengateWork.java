package io.tokengate.bench.floor;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.audit.AuditSlot;
import io.tokengate.core.limits.Decision;
import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.VerifiedToken;
import io.tokengate.server.gateway.Credentials;
import io.tokengate.server.http.RequestIds;
import io.tokengate.server.request.GatewayRequestView;
import io.tokengate.server.request.JsonBody;
import io.tokengate.store.Store;
import io.tokengate.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * tokengate's own per-request work on the fast path, without its HTTP stack: the Basic
 * credentials (the gateway's own {@link Credentials} parser), the token from the cache (the database on a miss) and its use counted, the
 * canonical path and query, the token's rules decided, and one audit record per request through
 * the real audit writer, with status and bytes. It leaves out what a port would also need (the
 * request screen, the forwarded headers, run-as, error bodies), all of it small beside these.
 * Runs on the embedded H2 database of a home made by {@code tokengate token create}. A token not
 * in the cache is looked up on the event loop, which waits on the database meanwhile; the
 * benchmark's one token is cached from its first request on.
 */
final class TokengateWork implements RequestWork, AutoCloseable {
    private static final Refusal UNAUTHORIZED = new Refusal(401);

    private final Store store;
    private final TokenService tokens;
    private final AuditSink audit;
    private final Clock clock = Clock.systemUTC();
    private final String publicUrl;
    private final AtomicLong submitted = new AtomicLong();
    /** Requests refused with 503 because the audit queue had no room: the writer fell behind. */
    private final AtomicLong auditFull = new AtomicLong();
    /** Requests refused for any other reason (credentials, path, rules): none in a valid run. */
    private final AtomicLong otherRefusals = new AtomicLong();

    private record Admitted(
            AuditSlot slot,
            VerifiedToken token,
            String user,
            String clientIp,
            String method,
            String path,
            String query,
            String rule) {}

    TokengateWork(Path home, String publicUrl) {
        this.store = Store.open(StoreConfig.builder(home).build(), clock);
        this.tokens = store.tokens();
        this.audit = store.auditSink();
        this.publicUrl = publicUrl;
    }

    @Override
    public Object admit(String method, String uri, String authorization, String clientIp) {
        Optional<Credentials> credentials =
                Credentials.parse(authorization).filter(c -> c.scheme() == Credentials.Scheme.BASIC);
        Optional<VerifiedToken> verified = credentials
                .flatMap(c -> TokenSecret.parse(c.secret()))
                .flatMap(secret -> tokens.verifyFromMemory(secret).or(() -> tokens.verify(secret)));
        String user = credentials.map(Credentials::user).orElse(null);
        if (verified.isEmpty()
                || !verified.get().token().boundUser().map(user::equals).orElse(true)) {
            otherRefusals.incrementAndGet();
            return UNAUTHORIZED;
        }
        VerifiedToken token = verified.get();
        tokens.recordUse(token.id(), clientIp);
        AuditSlot slot = audit.reserve(Duration.ZERO).orElse(null);
        if (slot == null) {
            auditFull.incrementAndGet();
            return new Refusal(503);
        }
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String rawQuery = q < 0 ? null : uri.substring(q + 1);
        CanonicalPath path;
        QueryString query;
        try {
            path = CanonicalPath.parse(rawPath);
            query = QueryString.parse(rawQuery);
        } catch (MalformedRequestException e) {
            submit(
                    new Admitted(slot, token, user, clientIp, method, rawPath, rawQuery, null),
                    AuditDecision.DENY,
                    400,
                    0,
                    0);
            otherRefusals.incrementAndGet();
            return new Refusal(400);
        }
        Decision decision =
                token.limits().evaluate(new GatewayRequestView(method, publicUrl, path, query, JsonBody::absent));
        Admitted admitted = new Admitted(
                slot,
                token,
                user,
                clientIp,
                method,
                path.value(),
                rawQuery,
                decision.rule().map(Object::toString).orElse(null));
        if (!decision.allowed()) {
            submit(admitted, AuditDecision.DENY, 403, 0, 0);
            otherRefusals.incrementAndGet();
            return new Refusal(403);
        }
        return admitted;
    }

    @Override
    public void complete(Object admitted, int status, long bytesIn, long bytesOut) {
        submit((Admitted) admitted, AuditDecision.ALLOW, status, bytesIn, bytesOut);
    }

    /**
     * Drains the audit queue into the database and closes it, then prints how many records were
     * submitted, for {@code bench/floor.sh} to count against the rows in the database, and how
     * many requests were refused, and why.
     */
    @Override
    public void close() {
        store.close();
        System.out.println("netty-work: " + submitted.get() + " audit records submitted");
        System.out.println("netty-work: " + auditFull.get() + " refused for want of audit room, " + otherRefusals.get()
                + " otherwise");
    }

    private void submit(Admitted a, AuditDecision decision, int status, long bytesIn, long bytesOut) {
        submitted.incrementAndGet();
        a.slot()
                .submit(AuditEvent.builder(AuditKind.REQUEST, clock.instant())
                        .requestId(RequestIds.next())
                        .node("floor")
                        .basicUser(a.user())
                        .effectiveUser(a.token().token().boundUser().orElse(a.user()))
                        .clientIp(a.clientIp())
                        .request(a.method(), a.path(), a.query())
                        .decision(decision, decision == AuditDecision.ALLOW ? "allowed" : "denied")
                        .matchedRule(a.rule())
                        .token(a.token().id(), a.token().token().name())
                        .status(status)
                        .bytes(bytesIn, bytesOut)
                        .build());
    }
}
