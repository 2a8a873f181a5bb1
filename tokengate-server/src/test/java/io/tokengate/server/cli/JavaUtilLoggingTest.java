package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL driver logs through java.util.logging: its lines must reach Logback, and so the
 * JSON log, not standard error in java.util.logging's own format.
 */
class JavaUtilLoggingTest {
    @Test
    void theDatabaseDriversLinesReachLogback() {
        Main.commandLine();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger driver = (Logger) LoggerFactory.getLogger("org.postgresql.core.v3.ConnectionFactoryImpl");
        driver.addAppender(appender);
        try {
            java.util.logging.Logger.getLogger("org.postgresql.core.v3.ConnectionFactoryImpl")
                    .warning("a line of the driver's");
            assertThat(appender.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("a line of the driver's");
        } finally {
            driver.detachAppender(appender);
        }
    }
}
