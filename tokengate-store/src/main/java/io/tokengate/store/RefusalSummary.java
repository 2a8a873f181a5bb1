package io.tokengate.store;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.TokenId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requests turned away for want of room in the audit queue, summed up until the writer has room
 * for their summary: one record per kind of request or action, with how many, from when to when,
 * and who (the Basic users or actors, the clients and the tokens most often named). Its size is
 * bounded whatever the number of requests, so a flood cannot exhaust memory here either.
 *
 * <p>A summary names a user, client or token in its own field when all its requests had the same;
 * its request id is the first request's, as the client was told it and the log names it.
 */
final class RefusalSummary {
    /** How many users, clients and tokens a summary names; the rest are counted together. */
    static final int NAMED = 5;

    private final Map<AuditKind, Tally> tallies = new EnumMap<>(AuditKind.class);

    synchronized void add(AuditEvent event) {
        tallies.computeIfAbsent(event.kind(), kind -> new Tally(event)).add(event);
    }

    synchronized boolean isEmpty() {
        return tallies.isEmpty();
    }

    /** The summary of one kind of the requests refused since they were last summed up; forgets them. */
    synchronized Optional<AuditEvent> next(String node) {
        Iterator<Tally> tally = tallies.values().iterator();
        if (!tally.hasNext()) {
            return Optional.empty();
        }
        AuditEvent summary = tally.next().summary(node);
        tally.remove();
        return Optional.of(summary);
    }

    private static final class Tally {
        private final AuditEvent first;
        private Instant last;
        private long count;
        private final Counter users = new Counter();
        private final Counter clients = new Counter();
        private final Counter tokens = new Counter();
        private final Map<String, TokenId> tokenIds = new LinkedHashMap<>();

        Tally(AuditEvent first) {
            this.first = first;
            this.last = first.time();
        }

        void add(AuditEvent event) {
            count++;
            last = event.time().isAfter(last) ? event.time() : last;
            users.add(event.kind().isAdminAction() ? event.actor() : event.basicUser());
            clients.add(event.clientIp());
            if (event.tokenId() != null && tokens.add(event.tokenId().value())) {
                tokenIds.putIfAbsent(event.tokenId().value(), event.tokenId());
            }
        }

        AuditEvent summary(String node) {
            AuditKind kind = first.kind();
            String who = kind.isAdminAction() ? "actors" : "Basic users";
            String reason = "audit queue full: " + count + (count == 1 ? " request" : " requests") + " refused with 503"
                    + (count == 1 ? "" : " from " + first.time() + " to " + last) + "; " + who + ": "
                    + users + "; clients: " + clients + (tokens.isEmpty() ? "" : "; tokens: " + tokens);
            AuditEvent.Builder summary = AuditEvent.builder(kind, first.time())
                    .requestId(first.requestId())
                    .node(node)
                    .clientIp(clients.only())
                    .decision(AuditDecision.DENY, reason)
                    .status(503);
            String user = users.only();
            if (kind.isAdminAction()) {
                summary.actor(user);
            } else {
                summary.basicUser(user);
            }
            String token = tokens.only();
            if (token != null) { // then the first request named it too
                summary.token(tokenIds.get(token), first.tokenName());
            }
            return summary.build();
        }
    }

    /** Counts per name for the first {@link #NAMED} names, and the others together. */
    private static final class Counter {
        private final Map<String, Long> named = new LinkedHashMap<>();
        private long others;
        private long unnamed;

        /** Counts {@code name}; whether it is one of the named. */
        boolean add(String name) {
            if (name == null) {
                unnamed++;
                return false;
            }
            if (named.containsKey(name) || named.size() < NAMED) {
                named.merge(name, 1L, Long::sum);
                return true;
            }
            others++;
            return false;
        }

        boolean isEmpty() {
            return named.isEmpty() && others == 0;
        }

        /** The one name every request had; null if they had several, or none. */
        String only() {
            return named.size() == 1 && others == 0 && unnamed == 0
                    ? named.keySet().iterator().next()
                    : null;
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            named.forEach((name, n) -> parts.add(name + " " + n));
            if (others > 0) {
                parts.add("others " + others);
            }
            if (unnamed > 0) {
                parts.add("(none) " + unnamed);
            }
            return String.join(", ", parts);
        }
    }
}
