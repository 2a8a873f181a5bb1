package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.JdbcUserStore;
import io.tokengate.store.UserRole;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A failure the gateway does not expect while deciding is a 500 with the usual JSON error, and is
 * still audited and logged, without a secret. The failure here is a real one: with {@code
 * upstream.identity = user-credential}, a user's stored credential that does not decrypt because
 * it was moved to their row from another user's (the cipher binds each to its user).
 */
class InternalErrorIT {
    private static final String ALICE_PAT = "pat-alice-0123456789";

    @TempDir
    Path home;

    @Test
    void aFailureWhileDecidingIsA500ThatIsAuditedAndLogged() throws Exception {
        DemoJira.Options upstream =
                DemoJira.Options.defaults().identity(Identity.userCredentials(Map.of(ALICE_PAT, "alice")));
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of("upstream.identity", "user-credential"), upstream)) {
            gw.addUser("alice", null, UserRole.USER);
            gw.addUser("bob", null, UserRole.USER);
            assertThat(gw.server.store().upstreamCredentials().set("alice", ALICE_PAT.toCharArray()))
                    .isTrue();
            JdbcUserStore users = gw.server.store().users();
            users.setUpstreamCredential("bob", users.find("alice").orElseThrow().upstreamCredential());
            String bobToken = gw.createToken(TokenSpec.bound("bob's", "bob", "bob"))
                    .secret()
                    .reveal();

            ListAppender<ILoggingEvent> log = new ListAppender<>();
            log.start();
            Logger gatewayLog = (Logger) LoggerFactory.getLogger(GatewayHandler.class);
            gatewayLog.addAppender(log);
            HttpResponse<String> failed;
            try {
                failed = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/myself"))
                        .header("Authorization", GatewayFixture.basic("bob", bobToken))
                        .timeout(Duration.ofSeconds(10)) // a failure left unanswered would hang
                        .build());
            } finally {
                gatewayLog.detachAppender(log);
            }

            String requestId = failed.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body())
                    .isEqualTo("{\"status\":500,\"error\":\"Server Error\",\"message\":\"Internal error.\","
                            + "\"requestId\":\"" + requestId + "\"}");
            assertThat(gw.jira.received()).as("not forwarded").isEmpty();

            AuditEvent event = gw.audited(requestId).orElseThrow();
            assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(event.status()).isEqualTo(500);
            assertThat(event.reason()).isEqualTo("internal error: TokengateException");
            assertThat(event.tokenName()).isEqualTo("bob's");
            assertThat(event.basicUser()).isEqualTo("bob");

            assertThat(log.list)
                    .filteredOn(line -> line.getLevel() == Level.ERROR)
                    .singleElement()
                    .satisfies(line -> {
                        assertThat(line.getFormattedMessage()).isEqualTo(requestId + ": unexpected failure");
                        String logged =
                                line.getFormattedMessage() + ThrowableProxyUtil.asString(line.getThrowableProxy());
                        assertThat(logged)
                                .contains("does not decrypt")
                                .doesNotContain(ALICE_PAT)
                                .doesNotContain(bobToken);
                    });
        }
    }
}
