package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code tokengate demo} from the runnable jar and pastes every curl call it prints into a
 * shell, exactly as a newcomer would, checking that each gets the status the demo promises.
 */
class DemoCommandIT {
    private static final Path JAR = Path.of("target", "tokengate.jar");
    private static final Pattern CALL = Pattern.compile("^(curl .*?)   # (.*): expect (\\d{3})$");
    private static final Pattern ADMIN_PLANE = Pattern.compile("^  Admin plane +(\\S+)/ .*");
    private static final Pattern SIGN_IN = Pattern.compile("^  Admin sign-in +admin / (\\S{20})$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Demo(Process process, List<String> lines) {}

    /** {@code java -jar tokengate.jar demo} on {@code home}, on free ports. */
    private static ProcessBuilder demo(Path home) {
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "demo",
                "--home",
                home.toString(),
                "--port",
                "0",
                "--admin-port",
                "0");
    }

    private static Demo start(Path home) throws IOException {
        return start(home, null);
    }

    /** The demo with {@code TOKENGATE_ADMIN_PASSWORD} set to {@code password}, or unset when null. */
    private static Demo start(Path home, String password) throws IOException {
        ProcessBuilder builder = demo(home);
        builder.environment().remove("TOKENGATE_ADMIN_PASSWORD");
        if (password != null) {
            builder.environment().put("TOKENGATE_ADMIN_PASSWORD", password);
        }
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        long calls = 0;
        String line;
        // 13 calls; the last section ends with a blank line.
        while (Instant.now().isBefore(deadline) && (line = out.readLine()) != null) {
            lines.add(line);
            calls += CALL.matcher(line).matches() ? 1 : 0;
            if (calls == 13 && line.isEmpty()) {
                break;
            }
        }
        return new Demo(process, lines);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the shutdown hook stops the gateway and the sample upstream
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int status(String curl) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("bash", "-c", curl + " -o /dev/null -w '%{http_code}'")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String code = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(code.strip());
    }

    @Test
    void everyPrintedCallGetsTheStatusItPromises(@TempDir Path home) throws Exception {
        Demo demo = start(home);
        try {
            List<String> calls =
                    demo.lines().stream().filter(l -> CALL.matcher(l).matches()).toList();
            assertThat(calls).hasSize(13);
            assertThat(demo.lines()).anySatisfy(l -> assertThat(l).matches("  Admin sign-in +admin / \\S{20}"));
            for (String line : calls) {
                Matcher call = CALL.matcher(line);
                assertThat(call.matches()).isTrue();
                assertThat(status(call.group(1)))
                        .as(call.group(2) + ": " + call.group(1))
                        .isEqualTo(Integer.parseInt(call.group(3)));
            }
            assertThat(calls)
                    .anySatisfy(l ->
                            assertThat(l).startsWith("curl -s -u admin:tgk_").contains("/rest/api/2/issue/AAA-1"))
                    .anySatisfy(l -> assertThat(l).startsWith("curl -s -u ansible@ansible.jira.pl:tgk_"));
        } finally {
            stop(demo.process());
        }
        assertThatTheLogIsJsonLinesWithoutSecrets(home.resolve("logs/tokengate.log"), tokens(demo.lines()));

        Demo again = start(home);
        try {
            List<String> secondRun = again.lines().stream()
                    .filter(l -> CALL.matcher(l).matches())
                    .toList();
            assertThat(tokens(secondRun)).as("tokens are reused across runs").isEqualTo(tokens(demo.lines()));
            assertThat(again.lines()).anySatisfy(l -> assertThat(l).contains("admin / (unchanged"));
            // An offline command on the home the demo holds is sent to the demo's admin plane,
            // on the port it was given (any free one here), not the settings' 8081.
            String adminPlane = again.lines().stream()
                    .map(ADMIN_PLANE::matcher)
                    .filter(Matcher::matches)
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElseThrow();
            Process offline = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            JAR.toString(),
                            "token",
                            "list",
                            "--home",
                            home.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String err = new String(offline.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(offline.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(err)
                    .contains("held by a running tokengate server: talk to it with --server " + adminPlane + " ");
        } finally {
            stop(again.process());
        }

        String password = demo.lines().stream()
                .map(SIGN_IN::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .findFirst()
                .orElseThrow();
        Demo given = start(home, password);
        try {
            assertThat(given.lines())
                    .as("the password given is the one in effect, whether it changed anything or not")
                    .anySatisfy(l -> assertThat(l).matches("  Admin sign-in +admin / " + Pattern.quote(password)));
        } finally {
            stop(given.process());
        }
    }

    /**
     * The demo adds an admin with a printed password and tokens without limits: never into a
     * database other than its own, such as a cluster's named in the shell's environment.
     */
    @Test
    void theDemoRefusesToRunOnADatabaseNamedByDbUrl(@TempDir Path home) throws Exception {
        ProcessBuilder builder = demo(home);
        builder.environment().put("TOKENGATE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err)
                .contains("db.url is set (environment variable TOKENGATE_DB_URL)")
                .contains("Unset it, or use tokengate serve");
    }

    /** A home whose policy caps token lifetimes gets demo tokens within the cap, not a crash. */
    @Test
    void aLifetimeCapInTheHomeGivesDemoTokensThatExpireWithinIt(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("tokengate.properties"), "token.max.lifetime.days=30\n");
        Demo demo = start(home);
        try {
            List<String> calls =
                    demo.lines().stream().filter(l -> CALL.matcher(l).matches()).toList();
            assertThat(calls).as(String.join("\n", demo.lines())).hasSize(13);
            Matcher first = CALL.matcher(calls.get(0));
            assertThat(first.matches()).isTrue();
            assertThat(status(first.group(1))).isEqualTo(Integer.parseInt(first.group(3)));
        } finally {
            stop(demo.process());
        }
    }

    /** The demo, like serve, logs to HOME/logs as JSON Lines; no token secret is in it. */
    private static void assertThatTheLogIsJsonLinesWithoutSecrets(Path log, List<String> secrets) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> messages = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("time").asText()).as(line).endsWith("Z");
            assertThat(event.get("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
            assertThat(event.get("logger").asText()).as(line).isNotBlank();
            messages.add(event.get("message").asText());
        }
        assertThat(messages)
                .anySatisfy(m -> assertThat(m)
                        .startsWith("tokengate serving")
                        .as("who signs in, said at start")
                        .contains("(identity.source local)"))
                .anySatisfy(m -> assertThat(m).startsWith("token store closed"));
        assertThat(secrets).isNotEmpty();
        for (String secret : secrets) {
            assertThat(String.join("\n", lines)).doesNotContain(secret.substring(4));
        }
    }

    private static List<String> tokens(List<String> lines) {
        List<String> tokens = new ArrayList<>();
        Matcher m = Pattern.compile("tgk_[0-9A-Za-z]{38}").matcher(String.join("\n", lines));
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }
}
