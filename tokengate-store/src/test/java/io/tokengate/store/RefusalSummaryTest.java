package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.TokenId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusalSummaryTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final TokenId TOKEN = new TokenId("tok_AAAAAAAAAAAAAAAA");

    private final RefusalSummary summary = new RefusalSummary();

    private static AuditEvent request(int n, String user, String client) {
        return AuditEvent.builder(AuditKind.REQUEST, T0.plusSeconds(n))
                .requestId("req-" + n)
                .node("node-1")
                .basicUser(user)
                .clientIp(client)
                .request("GET", "/rest/api/2/issue/AAA-" + n, null)
                .decision(AuditDecision.DENY, "audit queue full")
                .status(503)
                .build();
    }

    @Test
    void oneUserFromOneClientIsNamedInTheRecordsOwnFields() {
        for (int n = 0; n < 3; n++) {
            summary.add(request(n, "alice", "10.0.0.1"));
        }
        AuditEvent record = summary.next("node-2").orElseThrow();
        assertThat(record.kind()).isEqualTo(AuditKind.REQUEST);
        assertThat(record.time()).isEqualTo(T0);
        assertThat(record.requestId()).as("the first request's").isEqualTo("req-0");
        assertThat(record.node()).isEqualTo("node-2");
        assertThat(record.basicUser()).isEqualTo("alice");
        assertThat(record.clientIp()).isEqualTo("10.0.0.1");
        assertThat(record.decision()).isEqualTo(AuditDecision.DENY);
        assertThat(record.status()).isEqualTo(503);
        assertThat(record.reason())
                .isEqualTo("audit queue full: 3 requests refused with 503 from 2026-11-30T10:00:00Z to "
                        + "2026-11-30T10:00:02Z; Basic users: alice 3; clients: 10.0.0.1 3");
        assertThat(summary.next("node-2")).as("forgotten once summed up").isEmpty();
        assertThat(summary.isEmpty()).isTrue();
    }

    @Test
    void manyUsersAreCountedWithTheFirstFiveNamed() {
        for (int n = 0; n < 100; n++) {
            summary.add(request(n, "user" + (n % 10), n % 2 == 0 ? "10.0.0.1" : "10.0.0.2"));
        }
        summary.add(request(100, null, "10.0.0.1"));
        AuditEvent record = summary.next("node-1").orElseThrow();
        assertThat(record.basicUser()).isNull();
        assertThat(record.clientIp()).isNull();
        assertThat(record.reason())
                .contains("101 requests refused")
                .contains("Basic users: user0 10, user1 10, user2 10, user3 10, user4 10, others 50, (none) 1;")
                .endsWith("clients: 10.0.0.1 51, 10.0.0.2 50");
    }

    @Test
    void oneTokenIsNamedAndEachKindHasItsOwnSummary() {
        summary.add(
                request(0, "alice", "10.0.0.1").toBuilder().token(TOKEN, "ci").build());
        summary.add(
                request(1, "alice", "10.0.0.1").toBuilder().token(TOKEN, "ci").build());
        summary.add(AuditEvent.builder(AuditKind.TOKEN_CREATE, T0)
                .requestId("req-admin")
                .actor("root")
                .clientIp("10.0.0.9")
                .decision(AuditDecision.DENY, "audit queue full")
                .status(503)
                .build());

        AuditEvent requests = summary.next("node-1").orElseThrow();
        assertThat(requests.tokenId()).isEqualTo(TOKEN);
        assertThat(requests.tokenName()).isEqualTo("ci");
        assertThat(requests.reason()).endsWith("; tokens: " + TOKEN + " 2");

        AuditEvent actions = summary.next("node-1").orElseThrow();
        assertThat(actions.kind()).isEqualTo(AuditKind.TOKEN_CREATE);
        assertThat(actions.actor()).isEqualTo("root");
        assertThat(actions.reason())
                .isEqualTo("audit queue full: 1 request refused with 503; actors: root 1; clients: 10.0.0.9 1");
        assertThat(summary.next("node-1")).isEmpty();
    }
}
