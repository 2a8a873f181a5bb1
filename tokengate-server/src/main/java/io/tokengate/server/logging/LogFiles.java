package io.tokengate.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.tokengate.core.TokengateException;
import io.tokengate.store.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Writes every log event, from now on, as JSON Lines to {@code DIR/tokengate.log} as well as to
 * standard error: a file a day ({@code tokengate.YYYY-MM-DD.N.log.gz} once rolled, a new one past
 * {@value #MAX_FILE_SIZE}), kept {@value #MAX_DAYS} days and at most {@value #TOTAL_SIZE_CAP} in all.
 */
public final class LogFiles {
    static final String FILE = "tokengate.log";
    static final String MAX_FILE_SIZE = "100MB";
    static final int MAX_DAYS = 14;
    static final String TOTAL_SIZE_CAP = "2GB";
    private static final String APPENDER = "tokengate-json-file";

    private LogFiles() {}

    /**
     * Starts writing to {@code dir}, creating it; a second call for the same process changes
     * nothing.
     *
     * @throws UnusableDirectory when the directory cannot be created or written
     */
    public static void writeTo(Path dir) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding (a test harness): it decides where logs go
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER) != null) {
            return;
        }
        Path file = dir.resolve(FILE);
        try {
            if (!Files.isDirectory(dir)) {
                // One tokengate makes is its own: who called what, from where. One an operator
                // made keeps the modes they gave it.
                Files.createDirectories(dir);
                OwnerOnly.restrict(dir);
            }
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            throw new UnusableDirectory("cannot write logs to " + dir + " (" + e.getMessage()
                    + "); set log.dir to another directory, or to none for standard error only");
        }

        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(context);
        layout.start();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(
                dir.resolve("tokengate.%d{yyyy-MM-dd}.%i.log.gz").toString());
        rolling.setMaxFileSize(FileSize.valueOf(MAX_FILE_SIZE));
        rolling.setMaxHistory(MAX_DAYS);
        rolling.setTotalSizeCap(FileSize.valueOf(TOTAL_SIZE_CAP));
        rolling.start();
        appender.setRollingPolicy(rolling);
        appender.start();
        if (!appender.isStarted()) {
            throw new UnusableDirectory("cannot write logs to " + file
                    + "; set log.dir to another directory, or to none for standard error only");
        }
        root.addAppender(appender);
    }

    /** The log directory or its file cannot be written: the setting or the directory needs changing. */
    public static final class UnusableDirectory extends TokengateException {
        private static final long serialVersionUID = 1L;

        UnusableDirectory(String message) {
            super(message);
        }
    }
}
