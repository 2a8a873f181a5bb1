package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.TokenId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditSpanTest {
    private static final Instant MINUTE = Instant.parse("2026-11-28T10:00:00Z");
    private static final long BATCH = 1L << 20;

    private static AuditEvent record(Instant time, String token, String basic, String effective) {
        return AuditEvent.builder(AuditKind.REQUEST, time)
                .token(token == null ? null : new TokenId(token), null)
                .basicUser(basic)
                .effectiveUser(effective)
                .bytes(0, 0)
                .build();
    }

    @Test
    void aBatchHasASpanPerSubjectAndMinuteWithItsIdsAndTimes() {
        List<AuditEvent> records = List.of(
                record(MINUTE.plusSeconds(1), "tok_AAAAAAAAAAAAAAAA", "Alice", "Alice"),
                record(MINUTE.plusSeconds(59), null, "bob", "ALICE"),
                record(MINUTE.plusSeconds(60), "tok_AAAAAAAAAAAAAAAA", "alice", null));
        long first = BATCH << 20;

        assertThat(AuditSpan.of(BATCH, records))
                .containsExactlyInAnyOrder(
                        new AuditSpan("*", MINUTE.plusSeconds(59), BATCH, MINUTE.plusSeconds(1), first, first + 1),
                        new AuditSpan(
                                "t:tok_AAAAAAAAAAAAAAAA",
                                MINUTE.plusSeconds(1),
                                BATCH,
                                MINUTE.plusSeconds(1),
                                first,
                                first),
                        // one span for Alice as Basic and as effective user, in any letter case
                        new AuditSpan(
                                "u:alice", MINUTE.plusSeconds(59), BATCH, MINUTE.plusSeconds(1), first, first + 1),
                        new AuditSpan(
                                "u:bob", MINUTE.plusSeconds(59), BATCH, MINUTE.plusSeconds(59), first + 1, first + 1),
                        // the next minute: spans of its own
                        new AuditSpan("*", MINUTE.plusSeconds(60), BATCH, MINUTE.plusSeconds(60), first + 2, first + 2),
                        new AuditSpan(
                                "t:tok_AAAAAAAAAAAAAAAA",
                                MINUTE.plusSeconds(60),
                                BATCH,
                                MINUTE.plusSeconds(60),
                                first + 2,
                                first + 2),
                        new AuditSpan(
                                "u:alice",
                                MINUTE.plusSeconds(60),
                                BATCH,
                                MINUTE.plusSeconds(60),
                                first + 2,
                                first + 2));
    }

    @Test
    void aSpanCoversTheMinuteOfItsEarliestRecord() {
        AuditSpan span = AuditSpan.of(BATCH, List.of(record(MINUTE.plusMillis(59_999), null, null, null)))
                .get(0);
        assertThat(span.minute()).isEqualTo(MINUTE);
        assertThat(AuditSpan.minuteOf(Instant.parse("1969-12-31T23:59:59.5Z")))
                .as("before the epoch too")
                .isEqualTo(Instant.parse("1969-12-31T23:59:00Z"));
    }

    @Test
    void idsOfABatchFollowEachOtherAndBatchesDoNotOverlap() {
        assertThat(AuditSpan.id(BATCH, 0)).isEqualTo(BATCH << 20);
        assertThat(AuditSpan.id(BATCH, AuditSpan.MAX_BATCH - 1)).isLessThan(AuditSpan.id(BATCH + 1, 0));
        assertThat(AuditSpan.id(BATCH, AuditSpan.MAX_BATCH - 1) + 1).isEqualTo(AuditSpan.id(BATCH + 1, 0));
    }
}
