package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.demo.DemoJira;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tokengate token create} offline, with {@code identity.source = jira}: Jira is asked, as a
 * server asks it, before a token is bound to a user.
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
