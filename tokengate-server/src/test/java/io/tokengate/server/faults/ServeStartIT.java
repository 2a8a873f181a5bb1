package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokengate serve} that cannot start says why, with its documented exit code, and serves nothing. */
class ServeStartIT {
    private record Exit(int code, String err) {}

    private static Exit serve(Path home, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "tokengate.jar").toString(),
                "serve",
                "--home",
                home.toString(),
                "--port",
                "0",
                "--admin-port",
                "0",
                "--upstream",
                "http://127.0.0.1:9");
        builder.environment().keySet().removeIf(k -> k.startsWith("TOKENGATE_"));
        builder.environment().putAll(environment);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Exit(process.exitValue(), err);
    }

    @Test
    void aLogDirectoryThatCannotBeWrittenStopsTheStart(@TempDir Path home) throws Exception {
        Path taken = Files.writeString(home.resolve("not-a-directory"), "a file");
        Exit exit = serve(home, Map.of("TOKENGATE_LOG_DIR", taken.toString()));
        assertThat(exit.code()).as(exit.err()).isEqualTo(3);
        assertThat(exit.err())
                .contains("tokengate: could not start: cannot write logs to " + taken)
                .contains("set log.dir to another directory, or to none");
        assertThat(home.resolve("data")).as("no database was opened").doesNotExist();
    }

    @Test
    void anInvalidConfigurationIsNamedAndLeavesNothingBehind(@TempDir Path home) throws Exception {
        Exit exit = serve(home, Map.of("TOKENGATE_AUTH_SCHEMES", "digest"));
        assertThat(exit.code()).as(exit.err()).isEqualTo(2);
        assertThat(exit.err()).contains("auth.schemes: unknown scheme 'digest'");
        assertThat(home.resolve("logs"))
                .as("no log file before the configuration is valid")
                .doesNotExist();
        assertThat(home.resolve("data")).doesNotExist();
    }
}
