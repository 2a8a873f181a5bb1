package io.tokengate.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The core logs through {@code System.Logger}, having no logging library of its own: its lines must
 * reach Logback, and so the log file's JSON, not java.util.logging's own format on standard error.
 */
class CoreLoggingIT {
    @Test
    void secureModesEraseIsLoggedThroughLogback(@TempDir Path home) {
        try (GatewayFixture standard = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            standard.createToken(TokenSpec.bound("stored", "admin", "admin"));
        }
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger core = (Logger) LoggerFactory.getLogger("io.tokengate.core.token.TokenService");
        core.addAppender(appender);
        try (GatewayFixture secure =
                GatewayFixture.start(home, Map.of("token.secure.mode", "true"), GatewayFixture.headerUpstream())) {
            assertThat(appender.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .contains("secure mode: erased 1 stored token secrets");
        } finally {
            core.detachAppender(appender);
        }
    }
}
