package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A client that goes away part-way through a long audit export (a script stopped, a browser tab
 * closed) is nothing that went wrong on the server: one line at INFO, not an ERROR with a stack
 * trace that pages someone.
 */
class ExportDisconnectIT {
    @Test
    void aClientThatLeavesDuringAnExportIsNoError(@TempDir Path home) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger apiLog = (Logger) LoggerFactory.getLogger(ApiHandler.class);
        apiLog.addAppender(log);
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream())) {
            gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
            Instant now = Instant.now();
            for (int i = 0; i < 30_000; i++) {
                gw.server
                        .store()
                        .audit()
                        .record(AuditEvent.builder(AuditKind.REQUEST, now.minusMillis(i))
                                .request("GET", "/rest/api/2/issue/EXPORT-" + i, null)
                                .decision(AuditDecision.ALLOW, "allowed by a rule long enough to make the export large")
                                .build());
            }
            gw.server.store().audit().flush(Duration.ofSeconds(30));

            try (Socket socket = new Socket("127.0.0.1", gw.server.adminUri().getPort())) {
                socket.setReceiveBufferSize(4096);
                socket.getOutputStream()
                        .write(("GET /api/v1/audit/export?format=jsonl HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                                        + GatewayFixture.basic("root", "root-password-1") + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                byte[] start = in.readNBytes(2048);
                assertThat(new String(start, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
                socket.setSoLinger(true, 0); // a reset, as a killed client leaves
            }

            Instant deadline = Instant.now().plusSeconds(30);
            while (log.list.stream().noneMatch(e -> e.getFormattedMessage().contains("went away"))
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
        } finally {
            apiLog.detachAppender(log);
        }
        assertThat(log.list).noneMatch(e -> e.getLevel() == Level.ERROR);
        assertThat(log.list)
                .filteredOn(e -> e.getFormattedMessage().contains("went away"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.INFO);
                    assertThat(e.getThrowableProxy()).isNull();
                    assertThat(e.getFormattedMessage()).contains("GET /api/v1/audit/export");
                });
    }
}
