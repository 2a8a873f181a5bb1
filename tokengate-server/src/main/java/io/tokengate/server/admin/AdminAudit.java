package io.tokengate.server.admin;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.audit.AuditSlot;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenId;
import io.tokengate.server.http.RequestIds;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Audits admin actions without ever losing one: {@link #begin} reserves room in the audit queue
 * <em>before</em> the action runs (503 when there is none, and nothing happens but a count toward
 * the summary of such refusals, {@link AuditSink#refused}), and the record is
 * written when the action succeeds ({@link Action#allow}) or fails ({@link Action#deny}, done by
 * {@link ApiHandler} for any error). For admin actions, {@code effectiveUser} names the user the
 * action concerns (the token's owner, the user added or signing in), so that users find the
 * actions on their own tokens in their audit view; {@code actor} names who did it.
 *
 * <p>An allowed action is answered only once its record is written ({@link AuditSink#awaitWritten}),
 * not within the writer's flush interval as a data-plane request is: a process killed right after
 * answering must not leave a token created, rotated, shown or revoked without a record of who did
 * it. A record the database has not taken within {@link #WRITTEN_WAIT} stays queued, and the
 * answer goes out (the action is done); the log says so.
 */
final class AdminAudit {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
    /** How long an allowed action's answer waits for its record to be written. */
    static final Duration WRITTEN_WAIT = Duration.ofSeconds(5);

    private final AuditSink sink;
    private final Duration reserveWait;
    private final String node;
    private final Clock clock;

    AdminAudit(AuditSink sink, Duration reserveWait, String node, Clock clock) {
        this.sink = sink;
        this.reserveWait = reserveWait;
        this.node = node;
        this.clock = clock;
    }

    /** Reserves the record of an action {@code exchange} is about to perform. */
    Action begin(ApiExchange exchange, AuditKind kind) {
        Action action = reserve(exchange, kind);
        exchange.action(action);
        return action;
    }

    /**
     * Reserves the record of one more action that {@code exchange} performs beside its own (each
     * token revoked with a user, say). The caller must {@link Action#allow} or {@link Action#deny}
     * it: {@link ApiHandler} knows only the exchange's own.
     */
    Action beginAnother(ApiExchange exchange, AuditKind kind) {
        return reserve(exchange, kind);
    }

    private Action reserve(ApiExchange exchange, AuditKind kind) {
        AuditEvent.Builder event = AuditEvent.builder(kind, clock.instant())
                .requestId(exchange.requestId)
                .node(node)
                .clientIp(exchange.clientIp)
                .request(exchange.method(), exchange.path(), null);
        if (exchange.principal() != null) {
            event.actor(exchange.principal().name());
        }
        Optional<AuditSlot> reserved = sink.reserve(reserveWait);
        if (reserved.isEmpty()) {
            sink.refused(event.decision(AuditDecision.DENY, "audit queue full")
                    .status(503)
                    .build());
            throw new ApiError(503, "The audit log is not keeping up; try again shortly.", null, null);
        }
        return new Action(reserved.get(), event, sink, exchange.requestId);
    }

    /** One reserved audit record: fill in what the action concerns, then allow or deny, once. */
    static final class Action {
        private final AuditSlot slot;
        private final AuditEvent.Builder event;
        private final AuditSink sink;
        private final String requestId;
        private boolean done;

        private Action(AuditSlot slot, AuditEvent.Builder event, AuditSink sink, String requestId) {
            this.slot = slot;
            this.event = event;
            this.sink = sink;
            this.requestId = requestId;
        }

        Action token(Token token) {
            event.token(token.id(), token.name());
            event.effectiveUser(token.boundUser().orElse(null));
            return this;
        }

        Action tokenId(TokenId id) {
            event.token(id, null);
            return this;
        }

        /** The user the action concerns. */
        Action subject(String user) {
            event.effectiveUser(user);
            return this;
        }

        Action basicUser(String user) {
            event.basicUser(user);
            return this;
        }

        Action actor(String actor) {
            event.actor(actor);
            return this;
        }

        boolean done() {
            return done;
        }

        /** Records the action as done, and returns once the record is written (see the class comment). */
        void allow(int status, String note) {
            if (submit(AuditDecision.ALLOW, status, note) && !sink.awaitWritten(WRITTEN_WAIT)) {
                RequestIds.log(LOG, Level.WARN, requestId).log(
                        "{}: the audit record of this admin action is not written after {} s; answering, the record"
                                + " still queued",
                        requestId,
                        WRITTEN_WAIT.toSeconds());
            }
        }

        void deny(int status, String reason) {
            submit(AuditDecision.DENY, status, reason);
        }

        /** Whether this call submitted the record: false when it was already done. */
        private boolean submit(AuditDecision decision, int status, String reason) {
            if (done) {
                return false;
            }
            done = true;
            slot.submit(event.decision(decision, reason).status(status).build());
            return true;
        }

        /** Gives the room back when neither allow nor deny happened (a bug; the writer reports it). */
        void close() {
            if (!done) {
                done = true;
                slot.close();
            }
        }
    }
}
