package io.tokengate.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.token.TokenSecret;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEventTest {
    @Test
    void redactsSecretsInEveryTextField() {
        TokenSecret secret = TokenSecret.generate(new SecureRandom());
        String s = secret.reveal();
        AuditEvent event = AuditEvent.builder(AuditKind.REQUEST, Instant.parse("2026-11-28T10:00:00.123456789Z"))
                .basicUser(s)
                .effectiveUser(s)
                .actor(s)
                .requestId(s)
                .request("GET", "/rest/" + s, "a=" + s)
                .decision(AuditDecision.DENY, "unknown token " + s)
                .matchedRule(s)
                .build();
        assertThat(event.toString()).doesNotContain(s.substring(4)).contains(secret.hint());
        assertThat(event.path()).isEqualTo("/rest/" + secret.hint());
        assertThat(event.time()).isEqualTo(Instant.parse("2026-11-28T10:00:00.123456Z"));
    }

    @Test
    void cutsLongFieldsToTheirColumnSize() {
        AuditEvent event = AuditEvent.builder(AuditKind.REQUEST, Instant.EPOCH)
                .request("GET", "/" + "x".repeat(AuditEvent.PATH + 100), null)
                .build();
        assertThat(event.path()).hasSize(AuditEvent.PATH).endsWith("…");
        assertThat(event.toBuilder().build()).isEqualTo(event);
        assertThatThrownBy(() -> AuditEvent.builder(AuditKind.REQUEST, Instant.EPOCH)
                        .bytes(-1, 0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replacesNulCharactersWhichNoDatabaseTextCanHold() {
        AuditEvent event = AuditEvent.builder(AuditKind.REQUEST, Instant.EPOCH)
                .request("GET", "/a\0b", "q=\0")
                .decision(AuditDecision.DENY, "\0")
                .build();
        assertThat(event.path()).isEqualTo("/a\uFFFDb");
        assertThat(event.query()).isEqualTo("q=\uFFFD");
        assertThat(event.reason()).isEqualTo("\uFFFD");
    }
}
