package io.tokengate.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.server.http.RequestIds;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The two log formats: text on standard error (the shipped logback.xml) and JSON Lines in files. */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenSecret secret = TokenSecret.generate(new SecureRandom());
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("io.tokengate.server.gateway.GatewayHandler");

    private ILoggingEvent event(String message, Throwable thrown, Object... args) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, thrown, args);
        event.setThreadName("qtp-12");
        event.setTimeStamp(Instant.parse("2026-11-29T22:32:19.123Z").toEpochMilli());
        return event;
    }

    @Test
    void aJsonLineHasTheEventsFieldsOnOneLine() throws Exception {
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(context);
        layout.start();
        String line = layout.doLayout(event("{}: refused with 503, {}", null, "r1", "audit queue full\nsecond line"));

        assertThat(line).endsWith("\n").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("time").asText()).isEqualTo("2026-11-29T22:32:19.123Z");
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("logger").asText()).isEqualTo("io.tokengate.server.gateway.GatewayHandler");
        assertThat(json.get("thread").asText()).isEqualTo("qtp-12");
        assertThat(json.get("message").asText()).isEqualTo("r1: refused with 503, audit queue full\nsecond line");
        assertThat(json.has("exception")).isFalse();
    }

    @Test
    void aRequestsIdIsAFieldOfItsOwn() throws Exception {
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(context);
        layout.start();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.setContext(context);
        events.start();
        logger.addAppender(events);

        RequestIds.log(logger, org.slf4j.event.Level.WARN, "r7")
                .addKeyValue("message", "not the message")
                .addKeyValue("token", secret.reveal())
                .log("{}: 502, upstream unreachable", "r7");

        JsonNode json = JSON.readTree(layout.doLayout(events.list.get(0)));
        assertThat(json.get("requestId").asText()).isEqualTo("r7");
        assertThat(json.get("message").asText())
                .as("a pair cannot replace a fixed field")
                .isEqualTo("r7: 502, upstream unreachable");
        assertThat(json.get("token").asText()).as("nor carry a secret").isEqualTo(secret.hint());
    }

    @Test
    void aJsonLineNamesNoSecretInTheMessageOrTheStackTrace() throws Exception {
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(context);
        layout.start();
        String line = layout.doLayout(event(
                "token {} refused",
                new IllegalStateException("bad token " + secret.reveal(), new RuntimeException(secret.reveal())),
                secret.reveal()));

        assertThat(line).doesNotContain(secret.reveal().substring(4)).hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("message").asText()).isEqualTo("token " + secret.hint() + " refused");
        assertThat(json.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: bad token " + secret.hint())
                .contains("Caused by: java.lang.RuntimeException: " + secret.hint())
                .contains("at io.tokengate.server.logging.LogFormatTest");
    }

    @Test
    void theShippedTextFormatNamesNoSecretEither() throws Exception {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
        assertThat(new StatusUtil(context).getHighestLevel(0))
                .as("logback prints warnings about its configuration on standard output, amid a command's output")
                .isLessThan(Status.WARN);
        OutputStreamAppender<ILoggingEvent> stderr = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");

        String text = new String(
                stderr.getEncoder()
                        .encode(event(
                                "token {} refused",
                                new IllegalStateException("bad token " + secret.reveal()),
                                secret.reveal())),
                StandardCharsets.UTF_8);

        assertThat(text)
                .doesNotContain(secret.reveal().substring(4))
                .contains("WARN  [qtp-12] i.t.server.gateway.GatewayHandler - token " + secret.hint() + " refused")
                .contains("java.lang.IllegalStateException: bad token " + secret.hint());
    }
}
