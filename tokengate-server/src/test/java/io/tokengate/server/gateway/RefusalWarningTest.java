package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalWarningTest {
    private final AtomicLong now = new AtomicLong(-5_000_000_000L);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final RefusalWarning warning;

    RefusalWarningTest() {
        Logger log = new LoggerContext().getLogger("gateway");
        lines.start();
        log.addAppender(lines);
        warning = new RefusalWarning(log, 503, "audit queue full", Duration.ofSeconds(10), now::get);
    }

    @Test
    void logsTheFirstRefusalAtOnceAndCountsTheRestOfTheInterval() {
        warning.refused("r1", "no room within 100 ms");
        for (int i = 2; i <= 500; i++) {
            now.addAndGet(10_000_000L);
            warning.refused("r" + i, "no room within 100 ms");
        }
        assertThat(messages()).containsExactly("r1: 503, audit queue full: no room within 100 ms");

        now.addAndGet(6_000_000_000L);
        warning.refused("r501", "no room within 100 ms");
        warning.refused("r502", "no room within 100 ms");
        assertThat(messages())
                .containsExactly(
                        "r1: 503, audit queue full: no room within 100 ms",
                        "r501: 503, audit queue full: no room within 100 ms"
                                + " (499 more for this since the last warning)");
        assertThat(lines.list)
                .allSatisfy(line -> assertThat(line.getLevel().toString()).isEqualTo("WARN"));
    }

    @Test
    void aRefusalAfterAQuietIntervalIsLoggedWithoutACount() {
        warning.refused("r1", "database down");
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        warning.refused("r2", "database down");
        assertThat(messages())
                .containsExactly(
                        "r1: 503, audit queue full: database down", "r2: 503, audit queue full: database down");
        assertThat(warning.condition()).isEqualTo("audit queue full");
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
