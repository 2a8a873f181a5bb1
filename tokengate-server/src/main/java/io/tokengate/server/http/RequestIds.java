package io.tokengate.server.http;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Request ids: 20 characters from {@code [0-9a-z]}, about 103 random bits, unique enough to find
 * one request among billions in the audit log. Not a secret.
 */
public final class RequestIds {
    /** The key that names a log event's request: a field of its own in the JSON log. */
    public static final String LOG_KEY = "requestId";

    /**
     * The request attribute holding the id a handler gave a request: an error Jetty then answers
     * for it (a failure before the response was committed) keeps that id, and is the handler's to
     * audit, not the error handler's.
     */
    public static final String ATTRIBUTE = "io.tokengate.requestId";

    private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[20];
        for (int i = 0; i < id.length; i++) {
            id[i] = DIGITS[random.nextInt(DIGITS.length)];
        }
        return new String(id);
    }

    /**
     * A log event about request {@code id}, at {@code level}: the JSON log gives the id a field of
     * its own ({@value #LOG_KEY}), so that a log shipper finds every line of one request, and its
     * audit record, without parsing messages. Messages still start with the id, for the text log.
     */
    public static LoggingEventBuilder log(Logger logger, Level level, String id) {
        return logger.atLevel(level).addKeyValue(LOG_KEY, id);
    }
}
