package io.tokengate.core.audit;

import io.tokengate.core.token.SecretScanner;
import io.tokengate.core.token.TokenId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One audit record: a data-plane request or an admin action. Safe by construction: any token
 * secret found in a text field is replaced by its hint, a NUL character by U+FFFD, and each text
 * field is cut to a fixed length (its column size), so neither {@link #toString()} nor the stored row can ever carry a
 * secret. Time is kept to the microsecond, as the databases store it. Build with {@link
 * #builder(AuditKind, Instant)}.
 *
 * @param time when the request arrived or the action happened
 * @param requestId the request's {@code X-Request-Id}
 * @param node the node that handled it
 * @param kind what happened
 * @param tokenId the token presented or acted on; null when none was identified
 * @param tokenName that token's name
 * @param basicUser the user name from the Basic credentials
 * @param effectiveUser who the request ran as upstream (differs with {@code contextUser})
 * @param actor who performed an admin action
 * @param clientIp the client's address
 * @param method the HTTP method
 * @param path the canonical path
 * @param query the raw query string, without {@code ?}
 * @param decision whether it was allowed; null when not applicable
 * @param reason why it was denied (or a note on the action)
 * @param matchedRule the limits rule that allowed the request
 * @param status the HTTP status answered; null when none
 * @param upstreamMillis time spent waiting for the upstream; null when not forwarded
 * @param bytesIn request body bytes
 * @param bytesOut response body bytes
 */
public record AuditEvent(
        Instant time,
        String requestId,
        String node,
        AuditKind kind,
        TokenId tokenId,
        String tokenName,
        String basicUser,
        String effectiveUser,
        String actor,
        String clientIp,
        String method,
        String path,
        String query,
        AuditDecision decision,
        String reason,
        String matchedRule,
        Integer status,
        Long upstreamMillis,
        long bytesIn,
        long bytesOut) {

    public static final int SHORT = 64;
    public static final int NAME = 255;
    public static final int METHOD = 16;
    /**
     * A path or query is kept whole: the data plane reads at most 16 KiB of a request's head, so
     * no target it forwards is longer. Cutting one would let a client hide parameters behind
     * padding.
     */
    public static final int PATH = 16 * 1024;

    public static final int QUERY = 16 * 1024;
    public static final int REASON = 1024;
    public static final int RULE = 2048;

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        time = time.truncatedTo(ChronoUnit.MICROS);
        requestId = clean(requestId, SHORT);
        node = clean(node, SHORT);
        tokenName = clean(tokenName, NAME);
        basicUser = clean(basicUser, NAME);
        effectiveUser = clean(effectiveUser, NAME);
        actor = clean(actor, NAME);
        clientIp = clean(clientIp, SHORT);
        method = clean(method, METHOD);
        path = clean(path, PATH);
        query = clean(query, QUERY);
        reason = clean(reason, REASON);
        matchedRule = clean(matchedRule, RULE);
        if (bytesIn < 0 || bytesOut < 0 || (upstreamMillis != null && upstreamMillis < 0)) {
            throw new IllegalArgumentException("byte counts and upstream time must not be negative");
        }
    }

    /**
     * Redacted, NUL characters replaced by U+FFFD (PostgreSQL text cannot hold them, and a record
     * it refuses would be lost), then cut to {@code max} characters (the last one an ellipsis when
     * cut).
     */
    static String clean(String value, int max) {
        if (value == null) {
            return null;
        }
        String redacted = SecretScanner.redact(value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD'));
        return redacted.length() <= max ? redacted : redacted.substring(0, max - 1) + "…";
    }

    public static Builder builder(AuditKind kind, Instant time) {
        return new Builder(kind, time);
    }

    /** A builder holding a copy of this event's fields. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, time);
        b.requestId = requestId;
        b.node = node;
        b.tokenId = tokenId;
        b.tokenName = tokenName;
        b.basicUser = basicUser;
        b.effectiveUser = effectiveUser;
        b.actor = actor;
        b.clientIp = clientIp;
        b.method = method;
        b.path = path;
        b.query = query;
        b.decision = decision;
        b.reason = reason;
        b.matchedRule = matchedRule;
        b.status = status;
        b.upstreamMillis = upstreamMillis;
        b.bytesIn = bytesIn;
        b.bytesOut = bytesOut;
        return b;
    }

    /** Builds an {@link AuditEvent}; every field but kind and time is optional. */
    public static final class Builder {
        private final AuditKind kind;
        private final Instant time;
        private String requestId;
        private String node;
        private TokenId tokenId;
        private String tokenName;
        private String basicUser;
        private String effectiveUser;
        private String actor;
        private String clientIp;
        private String method;
        private String path;
        private String query;
        private AuditDecision decision;
        private String reason;
        private String matchedRule;
        private Integer status;
        private Long upstreamMillis;
        private long bytesIn;
        private long bytesOut;

        private Builder(AuditKind kind, Instant time) {
            this.kind = kind;
            this.time = time;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder node(String node) {
            this.node = node;
            return this;
        }

        public Builder token(TokenId id, String name) {
            this.tokenId = id;
            this.tokenName = name;
            return this;
        }

        public Builder basicUser(String basicUser) {
            this.basicUser = basicUser;
            return this;
        }

        public Builder effectiveUser(String effectiveUser) {
            this.effectiveUser = effectiveUser;
            return this;
        }

        public Builder actor(String actor) {
            this.actor = actor;
            return this;
        }

        public Builder clientIp(String clientIp) {
            this.clientIp = clientIp;
            return this;
        }

        public Builder request(String method, String path, String query) {
            this.method = method;
            this.path = path;
            this.query = query;
            return this;
        }

        public Builder decision(AuditDecision decision, String reason) {
            this.decision = decision;
            this.reason = reason;
            return this;
        }

        public Builder matchedRule(String matchedRule) {
            this.matchedRule = matchedRule;
            return this;
        }

        public Builder status(Integer status) {
            this.status = status;
            return this;
        }

        public Builder upstreamMillis(Long upstreamMillis) {
            this.upstreamMillis = upstreamMillis;
            return this;
        }

        public Builder bytes(long bytesIn, long bytesOut) {
            this.bytesIn = bytesIn;
            this.bytesOut = bytesOut;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(
                    time,
                    requestId,
                    node,
                    kind,
                    tokenId,
                    tokenName,
                    basicUser,
                    effectiveUser,
                    actor,
                    clientIp,
                    method,
                    path,
                    query,
                    decision,
                    reason,
                    matchedRule,
                    status,
                    upstreamMillis,
                    bytesIn,
                    bytesOut);
        }
    }
}
