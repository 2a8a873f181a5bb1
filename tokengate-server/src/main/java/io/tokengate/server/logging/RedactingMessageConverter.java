package io.tokengate.server.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.tokengate.core.token.SecretScanner;

/** {@code %msg} for the text log, with any token secret written as its hint. */
public final class RedactingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return SecretScanner.redact(super.convert(event));
    }
}
