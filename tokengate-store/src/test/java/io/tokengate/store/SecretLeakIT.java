package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditExportFormat;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenEdit;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A fresh secret and the key file's master key must appear nowhere: not in logs, exception
 * messages, {@code toString()} of any value, audit rows or audit exports.
 */
class SecretLeakIT {
    @TempDir
    Path home;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void captureLogs() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logs);
    }

    @Test
    void secretsAndKeysAppearNowhere() throws Exception {
        List<String> seen = new ArrayList<>();
        List<TokenSecret> secrets = new ArrayList<>();
        StoreConfig config = StoreConfig.builder(home)
                .database(null, "sa", "db-password-123")
                .build();
        seen.add(config.toString());
        try (Store store = Store.open(config, Clock.systemUTC())) {
            CreatedToken created = store.tokens().create(TokenSpec.bound("ci", "alice", "admin"));
            CreatedToken unbound = store.tokens().create(TokenSpec.unbound("shared", "admin"));
            CreatedToken rotated = store.tokens().rotate(created.token().id()).orElseThrow();
            secrets.add(created.secret());
            secrets.add(unbound.secret());
            secrets.add(rotated.secret());
            String secret = rotated.secret().reveal();

            seen.add(created.toString());
            seen.add(rotated.toString());
            seen.add(rotated.token().toString());
            seen.add(rotated.secret().toString());
            seen.add(store.tokens().verify(rotated.secret()).orElseThrow().toString());
            seen.add(store.tokens().reveal(rotated.token().id()).orElseThrow().toString());
            seen.add(store.tokens().toString());
            seen.add(store.toString());
            seen.add(KeyFile.load(config.keyFilePath()).toString());
            seen.add(store.users()
                    .add(new NewUser("alice", null, null, UserRole.USER, "$kdf$" + secret))
                    .toString());

            // A client that puts its secret where it does not belong.
            AuditEvent careless = AuditEvent.builder(
                            AuditKind.REQUEST, Clock.systemUTC().instant())
                    .basicUser(secret)
                    .request("GET", "/rest/api/2/issue/" + secret, "token=" + secret + "&x=1")
                    .decision(null, "bad credentials " + secret)
                    .build();
            seen.add(careless.toString());
            store.audit().record(careless);
            assertThat(store.audit().flush(Duration.ofSeconds(10))).isTrue();
            seen.add(store.auditLog().query(AuditQuery.all()).toString());
            for (AuditExportFormat format : AuditExportFormat.values()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                store.auditLog().export(AuditQuery.all(), format, out);
                seen.add(out.toString(StandardCharsets.UTF_8));
            }
            try (Connection c =
                            java.sql.DriverManager.getConnection(Database.embeddedUrl(home), "sa", "db-password-123");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM audit_events")) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        seen.add(String.valueOf(rs.getObject(i)));
                    }
                }
            }

            seen.add(message(catchThrowable(
                    () -> store.tokens().create(TokenSpec.bound("leaked " + secret, "alice", "admin")))));
            seen.add(message(catchThrowable(() ->
                    store.tokens().edit(rotated.token().id(), TokenEdit.none().withName(secret)))));
            seen.add(message(catchThrowable(() ->
                    store.tokens().create(TokenSpec.bound("ci", secret, "admin").withAllowedIps(secret)))));
            // Each field alone, and several at once: every field's message quotes what it refuses.
            seen.add(message(catchThrowable(() -> store.tokens()
                    .create(TokenSpec.bound("ci", "alice", "admin").withAllowedIps(secret)))));
            seen.add(message(catchThrowable(() -> store.tokens()
                    .create(TokenSpec.bound("ci", "alice", "admin").withLimits("[get] " + secret + "(")))));
            seen.add(message(catchThrowable(() -> store.tokens()
                    .create(TokenSpec.bound("ci", "alice", "admin").withRateLimit(secret)))));
            seen.add(message(catchThrowable(() -> store.tokens()
                    .create(TokenSpec.bound(secret, secret, "admin")
                            .withLimits(secret + " x")
                            .withAllowedIps("10.0.0.1 " + secret)
                            .withRateLimit(secret)))));

            store.tokens().revoke(rotated.token().id());
            seen.add(store.tokens().show(rotated.token().id()).orElseThrow().toString());
        }

        String master = Files.readAllLines(home.resolve("tokengate.key")).stream()
                .filter(line -> line.startsWith("master="))
                .findFirst()
                .orElseThrow()
                .substring("master=".length());
        for (ILoggingEvent event : logs.list) {
            seen.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                seen.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(logs.list).as("the store logged something to check").isNotEmpty();
        for (String text : seen) {
            for (TokenSecret secret : secrets) {
                assertThat(text).doesNotContain(secret.reveal().substring(TokenSecret.PREFIX.length(), 30));
            }
            assertThat(text).doesNotContain(master).doesNotContain("db-password-123");
        }
    }

    private static String message(Throwable t) {
        assertThat(t).isNotNull();
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c).append('\n');
        }
        return out.toString();
    }
}
