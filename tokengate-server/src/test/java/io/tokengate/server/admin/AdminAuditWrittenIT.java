package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin action is answered only once its audit record is written: a process killed right after
 * answering (SIGKILL, OOM) keeps the record of a token created, rotated or revoked. The writer's
 * flush interval is a minute here, so a record merely queued would not be in the database yet.
 */
class AdminAuditWrittenIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("token.secure.mode", "true", "audit.flush.interval.ms", "60000"),
                GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        admin = AdminClient.basic(gw, new OpenApiContract(), "root", "root-password");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void createRotateAndRevokeAreInTheAuditLogWhenAnswered() {
        Reply created = admin.post("/tokens", Map.of("name", "kept on record", "user", "root"));
        assertThat(created.status()).isEqualTo(201);
        assertWrittenBeforeAnswered(created, "TOKEN_CREATE");
        String id = created.json().get("id").asText();

        Reply rotated = admin.post("/tokens/" + id + "/rotate", Map.of());
        assertThat(rotated.status()).isEqualTo(200);
        assertWrittenBeforeAnswered(rotated, "TOKEN_ROTATE");

        Reply revoked = admin.post("/tokens/" + id + "/revoke", Map.of());
        assertThat(revoked.status()).isEqualTo(200);
        assertWrittenBeforeAnswered(revoked, "TOKEN_REVOKE");
    }

    /** Reads the database as it is, without flushing the queue: what a SIGKILL now would leave. */
    private static void assertWrittenBeforeAnswered(Reply reply, String kind) {
        String requestId = reply.header("X-Request-Id").orElseThrow();
        Optional<AuditEvent> written =
                gw.server.store().auditLog().query(AuditQuery.all().withLimit(100)).events().stream()
                        .filter(e -> requestId.equals(e.requestId()))
                        .findFirst();
        assertThat(written)
                .as("the %s record of request %s, in the database when the answer came", kind, requestId)
                .isPresent();
        assertThat(written.get().kind().name()).isEqualTo(kind);
    }
}
