package io.tokengate.server.gateway;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.audit.AuditSlot;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.VerifiedToken;
import io.tokengate.server.request.SignInParameters;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One data-plane request on its way through the gateway: what has been learnt about it so far,
 * and its audit slot. {@link #audit} submits the audit record exactly once, whichever way the
 * request ends.
 */
final class Exchange {
    final String requestId;
    final String clientIp;
    final String method;
    final long startNanos;
    private final Clock clock;
    private final String node;
    private final AtomicBoolean audited = new AtomicBoolean();
    private final RequestObserver observer;

    /** The raw path until canonicalized, then the canonical (decoded) path restrictions match. */
    String path;
    /** The canonical path re-encoded: exactly what the upstream receives; null until canonicalized. */
    String forwardPath;

    /** The raw query as received; null when there is none. The audit records it without a password. */
    String query;
    /** The query as the upstream receives it ({@link QueryString#forwarded()}); null until parsed. */
    String forwardQuery;

    AuditSlot slot;
    /** Where the record goes when there was no room for it in the audit queue; null otherwise. */
    AuditSink noRoom;
    /** What {@link #credentials(String)} parsed; null until then, and when it is malformed. */
    private Credentials credentials;
    /** Whether {@link #credentials(String)} has parsed the header, malformed or not. */
    private boolean credentialsParsed;
    /** The authenticated token; null until {@link TokenAuthenticator#authenticate} accepts it. */
    VerifiedToken token;
    /**
     * The token the handler found in the cache for this request's credentials before deciding
     * ({@link TokenAuthenticator#fromMemory}), so that authentication need not look it up again.
     * Not authenticated yet, and never audited as such.
     */
    VerifiedToken cachedToken;
    /**
     * A token that was presented but not authenticated: not active (expired, revoked), or the
     * request was refused before authentication. Named in the audit record.
     */
    Token refusedToken;

    String effectiveUser;
    /** Who ran the request as {@link #effectiveUser} ({@code contextUser}); null when nobody did. */
    String runBy;

    String matchedRule;
    CountingExchange counts;
    long upstreamStartNanos;
    /** Whether the request was sent to the upstream again, once ({@link UpstreamProxy}). */
    boolean resent;
    /** Why a forwarded request did not complete normally (upstream or client failure), for the audit. */
    volatile String failure;

    Exchange(
            String requestId,
            String clientIp,
            String method,
            String rawPath,
            String rawQuery,
            Clock clock,
            String node,
            RequestObserver observer) {
        this.requestId = requestId;
        this.observer = observer;
        this.clientIp = clientIp;
        this.method = method;
        this.path = rawPath;
        this.query = rawQuery;
        this.clock = clock;
        this.node = node;
        this.startNanos = System.nanoTime();
    }

    /**
     * The request's Authorization header, parsed on first use and kept, malformed or not (then
     * null): the fast path, the full authentication and a refusal's audit record all read the same
     * header.
     */
    Credentials credentials(String authorization) {
        if (!credentialsParsed) {
            credentials = Credentials.parse(authorization).orElse(null);
            credentialsParsed = true;
        }
        return credentials;
    }

    String basicUser() {
        return credentials == null ? null : credentials.user();
    }

    /**
     * Submits the audit record through the reserved slot, or counts it as {@linkplain
     * AuditSink#refused refused} for want of room; does nothing without either (requests without
     * credentials are not audited) or when already audited.
     */
    void audit(AuditDecision decision, int status, String reason) {
        if (!audited.compareAndSet(false, true)) {
            return;
        }
        long now = System.nanoTime();
        boolean forwarded = upstreamStartNanos != 0;
        observer.completed(
                decision == AuditDecision.ALLOW,
                status,
                (forwarded ? upstreamStartNanos : now) - startNanos,
                forwarded ? now - upstreamStartNanos : -1);
        if (slot == null && noRoom == null) {
            return;
        }
        AuditEvent.Builder event = AuditEvent.builder(AuditKind.REQUEST, clock.instant())
                .requestId(requestId)
                .node(node)
                .basicUser(basicUser())
                .effectiveUser(effectiveUser)
                .clientIp(clientIp)
                .request(method, path, SignInParameters.redacted(query))
                .decision(decision, reason(reason))
                .matchedRule(matchedRule)
                .status(status);
        if (token != null) {
            event.token(token.id(), token.token().name());
        } else if (refusedToken != null) {
            event.token(refusedToken.id(), refusedToken.name());
        }
        if (counts != null) {
            event.bytes(counts.bytesIn(), counts.bytesOut());
        }
        if (upstreamStartNanos != 0) {
            event.upstreamMillis((System.nanoTime() - upstreamStartNanos) / 1_000_000);
        }
        if (slot != null) {
            slot.submit(event.build());
        } else {
            noRoom.refused(event.build());
        }
    }

    /**
     * The decision's reason, with how the request ended when it failed upstream, and who ran it
     * as whom: with a Bearer token no Basic user says so.
     */
    private String reason(String decided) {
        String reason = failure == null ? decided : decided + "; " + failure;
        return runBy == null ? reason : reason + "; run as " + effectiveUser + " by " + runBy;
    }

    @Override
    public String toString() {
        return "Exchange[" + requestId + " " + method + " " + path + "]";
    }
}
