package io.tokengate.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tokengate.core.token.SecretScanner;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One log event as one line of JSON, for log shippers:
 *
 * <pre>{@code
 * {"time":"2026-11-29T22:12:19.123Z","level":"WARN","logger":"io.tokengate.server.gateway.GatewayHandler",
 *  "thread":"qtp-12","message":"r1: 503, audit queue full: …","requestId":"r1","exception":"java.io…"}
 * }</pre>
 *
 * <p>{@code exception} is there only when the event has one. The event's key-value pairs follow
 * the message as fields of their own, such as {@code requestId} (see {@code RequestIds#log}). A
 * token secret in the message or the stack trace is written as its hint ({@code tgk_…abcd}).
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    /** The fields every line has; a key-value pair of the event cannot replace one. */
    private static final Set<String> FIXED = Set.of("time", "level", "logger", "thread", "message", "exception");

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField(
                    "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", SecretScanner.redact(event.getFormattedMessage()));
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair pair : pairs) {
                    if (!FIXED.contains(pair.key)) {
                        json.writeStringField(pair.key, SecretScanner.redact(String.valueOf(pair.value)));
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("exception", SecretScanner.redact(ThrowableProxyUtil.asString(thrown)));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return line.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    @Override
    public String getContentType() {
        return "application/x-ndjson";
    }
}
