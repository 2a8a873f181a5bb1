package io.tokengate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs {@code tokengate check} from the runnable jar, as a user's shell would. */
class CheckCommandIT {
    private static final Path JAR = Path.of("target", "tokengate.jar");

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    @Test
    void theSeedsPostExampleIsAllowedAndAGetDenied() throws Exception {
        String limits = "[post].*/rest/api/2/issue/KANBAN-100/comment.*";
        String url = "http://localhost:8080/rest/api/2/issue/KANBAN-100/comment";
        Result post = run(
                "check",
                "--limits-text",
                limits,
                "--method",
                "POST",
                "--url",
                url,
                "--body-text",
                "{\"body\":\"Comment text\"}");
        assertThat(post.exit()).isZero();
        assertThat(post.out()).contains("ALLOWED by rule 1 (line 1)");
        Result get = run("check", "--limits-text", limits, "--url", url);
        assertThat(get.exit()).isEqualTo(1);
        assertThat(get.out()).contains("method GET is not POST");
    }

    @Test
    void invalidLimitsExitTwo() throws Exception {
        Result result = run("check", "--limits-text", ".*(?=x)", "--url", "http://localhost/rest/x");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("line 1, column 3: look-ahead '(?=' is not supported");
    }
}
