package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutagesTest {
    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    private final Outages outages =
            new Outages(Clock.fixed(Instant.parse("2026-11-30T10:15:30.750Z"), ZoneOffset.UTC), nanos::get);

    @Test
    void noOutageUntilACallGetsNoConnection() {
        assertThat(outages.current()).isNull();
        assertThat(outages.connected()).isNull();

        assertThat(outages.noConnection("Connection refused")).isTrue();

        Outages.Outage outage = outages.current();
        assertThat(outage.since()).isEqualTo("2026-11-30T10:15:30Z");
        assertThat(outage.reason()).isEqualTo("Connection refused");
    }

    @Test
    void aSecondFailureKeepsTheOutageAndItsStartButTellsTheNewReason() {
        outages.noConnection("Connection refused");
        Outages.Outage first = outages.current();

        assertThat(outages.noConnection("timed out")).isFalse();

        assertThat(outages.current()).isSameAs(first);
        assertThat(first.reason()).isEqualTo("timed out");
    }

    @Test
    void oneCallerTriesAgainOnceTheSpacingHasPassed() {
        outages.noConnection("Connection refused");
        Outages.Outage outage = outages.current();
        assertThat(outages.mayTry(outage)).as("right after the failure").isFalse();

        nanos.addAndGet(Outages.RETRY_SPACING.toNanos() - 1);
        assertThat(outages.mayTry(outage)).isFalse();
        nanos.incrementAndGet();
        assertThat(outages.mayTry(outage)).isTrue();
        assertThat(outages.mayTry(outage))
                .as("another caller while the first tries")
                .isFalse();

        nanos.addAndGet(Outages.RETRY_SPACING.multipliedBy(30).toNanos()); // the try waits out a timeout
        assertThat(outages.mayTry(outage)).as("still the first caller's try").isFalse();
        outages.tried(outage);
        assertThat(outages.mayTry(outage)).as("right after the try").isFalse();
        nanos.addAndGet(Outages.RETRY_SPACING.toNanos());
        assertThat(outages.mayTry(outage)).isTrue();
    }

    @Test
    void aConnectionEndsTheOutageOnce() {
        outages.noConnection("Connection refused");
        Outages.Outage outage = outages.current();

        assertThat(outages.connected()).isSameAs(outage);
        assertThat(outages.current()).isNull();
        assertThat(outages.connected()).as("ended already").isNull();

        assertThat(outages.noConnection("Connection refused"))
                .as("the next failure begins a new outage")
                .isTrue();
        assertThat(outages.current()).isNotSameAs(outage);
    }
}
