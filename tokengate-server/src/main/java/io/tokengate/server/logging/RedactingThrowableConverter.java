package io.tokengate.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.tokengate.core.token.SecretScanner;

/** {@code %ex} for the text log, with any token secret in a message of the trace written as its hint. */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy thrown) {
        return SecretScanner.redact(super.throwableProxyToString(thrown));
    }
}
