package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.server.cli.Main;
import io.tokengate.store.Database;
import io.tokengate.store.Store;
import io.tokengate.store.StoreConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tokengate db leave-secure-mode} beside a node still running with {@code
 * token.secure.mode=true}, which would turn it on again within a minute: refused, naming the node,
 * unless forced. With the embedded H2 database no node can be running beside the command, and a
 * server killed in secure mode does not hold the command up.
 */
class LeaveSecureModeIT {
    private record Result(int exit, String out, String err) {}

    private static Result leave(Path home, String... more) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] args = new String[3 + more.length];
        args[0] = "db";
        args[1] = "leave-secure-mode";
        args[2] = "--home=" + home;
        System.arraycopy(more, 0, args, 3, more.length);
        return new Result(command.execute(args), out.toString(), err.toString());
    }

    @Test
    void leavingBesideARunningSecureNodeIsRefusedUnlessForced(@TempDir Path home) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("leave_")) {
            Files.writeString(
                    home.resolve("tokengate.properties"), "db.url=" + db.url() + "\ntoken.secure.mode=false\n");
            StoreConfig secure = StoreConfig.builder(home)
                    .database(db.url(), null, null)
                    .pool(2, Duration.ofSeconds(2))
                    .nodeId("node-c")
                    .secureMode(true)
                    .build();
            try (Store nodeC = Store.open(secure, Clock.systemUTC())) {
                Result refused = leave(home);
                assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
                assertThat(refused.err())
                        .startsWith("tokengate: secure mode stays on: node node-c (last heard at ")
                        .contains("runs with token.secure.mode=true")
                        .contains("--force");
                assertThat(nodeC.tokens().secureMode()).as("nothing changed").isTrue();
                assertThat(nodeC.secureMode().keepers()).hasSize(1);

                Result forced = leave(home, "--force");
                assertThat(forced.exit()).as(forced.err()).isZero();
                assertThat(forced.out()).startsWith("secure mode is off for the database");
                assertThat(nodeC.auditLog()
                                .query(AuditQuery.all().withKind(AuditKind.SETTING_CHANGE))
                                .events())
                        .extracting(AuditEvent::reason)
                        .as("the record says whose word the command overrode")
                        .anySatisfy(reason -> assertThat(reason)
                                .startsWith("secure mode turned off for the database, forced over node node-c"
                                        + " (last heard at "));
            }
            try (Store nodeC = Store.open(secure, Clock.systemUTC())) {
                assertThat(nodeC.tokens().secureMode())
                        .as("on again at its start")
                        .isTrue();
            }
            Result after = leave(home);
            assertThat(after.exit()).as("node C stopped, and said so").isZero();
            assertThat(after.out()).startsWith("secure mode is off for the database");
        }
    }

    @Test
    void aServerKilledInSecureModeDoesNotHoldUpLeavingTheEmbeddedDatabase(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("tokengate.properties"), "token.secure.mode=false\n");
        StoreConfig secure =
                StoreConfig.builder(home).nodeId("node-h2").secureMode(true).build();
        try (Store server = Store.open(secure, Clock.systemUTC())) {
            assertThat(server.tokens().secureMode()).isTrue();
        }
        // What a server killed (SIGKILL) a moment ago leaves: its word that it keeps secure mode.
        try (Connection c = DriverManager.getConnection(Database.embeddedUrl(home));
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO secure_mode_keepers (process, node, seen_at) VALUES ('killed', 'node-h2', ?)")) {
            ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        Result left = leave(home);
        assertThat(left.exit()).as(left.err()).isZero();
        assertThat(left.out()).startsWith("secure mode is off for the database");
    }
}
