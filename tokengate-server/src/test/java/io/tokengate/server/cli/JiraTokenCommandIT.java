package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.server.GatewayFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tokengate token create} offline, with {@code identity.source = jira}: Jira is asked, as a
 * server asks it, before a token is bound to a user; {@code token list} flags the tokens of users
 * Jira no longer lets act.
 */
class JiraTokenCommandIT {
    private record Result(int exit, String out, String err) {}

    private static Result offline(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine(new Shell(Map.of(), new ByteArrayInputStream(new byte[0]), out));
        PrintWriter text = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        command.setOut(text);
        command.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--home";
        all[args.length + 1] = home.toString();
        int exit = command.execute(all);
        text.flush();
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    private static Result online(GatewayFixture gw, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine(
                new Shell(Map.of("TOKENGATE_ADMIN_PASSWORD", "admin"), new ByteArrayInputStream(new byte[0]), out));
        PrintWriter text = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        command.setOut(text);
        command.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", gw.server.adminUri().toString(), "--login", "admin"));
        int exit = command.execute(all.toArray(String[]::new));
        text.flush();
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    /**
     * {@code token list} against a server flags a token whose user Jira deactivated, as the server
     * learnt it after Jira refused a call of the token, with the remedy, under the table.
     */
    @Test
    void theListFlagsATokenWhoseUserJiraDeactivated(@TempDir Path home) throws Exception {
        DemoJira.Options upstream = DemoJira.Options.defaults().identity(Identity.serviceAccount("svc", "svc-pw-1"));
        Map<String, String> settings = Map.of(
                "identity.source", "jira",
                "upstream.identity", "service-account",
                "upstream.service.user", "svc",
                "upstream.service.password", "svc-pw-1");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            CreatedToken bobs = gw.createToken(TokenSpec.bound("bob's", "bob", "admin"));
            gw.createToken(TokenSpec.bound("alice's", "alice", "admin"));
            gw.jira.deactivateUser("bob");
            assertThat(gw.get(
                                    "/rest/api/2/myself",
                                    GatewayFixture.basic("bob", bobs.secret().reveal()))
                            .statusCode())
                    .isEqualTo(401);

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            Result listed = online(gw, "token", "list");
            while (!listed.out().contains("! ") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the server learns it in the background
                listed = online(gw, "token", "list");
            }
            assertThat(listed.exit()).as(listed.err()).isZero();
            assertThat(listed.out().lines().filter(line -> line.startsWith("! ")))
                    .singleElement()
                    .asString()
                    .startsWith("! " + bobs.token().id() + ": Jira has deactivated bob (/rest/api/2/user shows them"
                            + " inactive) (as of ")
                    .contains("if bob has left, revoke the tokens bound to them (tokengate user revoke-tokens bob");
        }
    }

    @Test
    void aTokenForAUserJiraDoesNotKnowIsRefused(@TempDir Path home) throws Exception {
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults())) {
            Files.writeString(
                    home.resolve("tokengate.properties"),
                    "identity.source=jira\nupstream.url=" + jira.baseUri() + "\n");
            jira.removeUser("bob");

            Result refused = offline(home, "token", "create", "--name", "for bob", "--user", "bob");
            assertThat(refused.exit())
                    .as("a value given on the command line that tokengate refuses")
                    .isEqualTo(Main.USAGE);
            assertThat(refused.err()).startsWith("tokengate: --user: Jira does not know bob");

            Result created = offline(home, "token", "create", "--name", "for alice", "--user", "alice");
            assertThat(created.exit()).as(created.out() + created.err()).isZero();
        }
    }
}
