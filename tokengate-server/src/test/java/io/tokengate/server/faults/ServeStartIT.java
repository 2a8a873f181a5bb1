package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tokengate.core.token.TokenQuery;
import io.tokengate.store.KeyFile;
import io.tokengate.store.Store;
import io.tokengate.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokengate serve} that cannot start says why, with its documented exit code, and serves
 * nothing; one that starts through the launcher has the JVM options measured in bench/README.md.
 */
class ServeStartIT {
    private record Exit(int code, String err) {}

    /** Runs serve, which must exit within a minute (one that starts after all is stopped, and fails the test). */
    private static Exit serve(Path home, Map<String, String> environment) throws Exception {
        Path err = Files.createTempFile("serve", ".err");
        try {
            ProcessBuilder builder = ServeProcess.command(home, URI.create("http://127.0.0.1:9"));
            builder.environment().keySet().removeIf(k -> k.startsWith("TOKENGATE_"));
            builder.environment().putAll(environment);
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("serve did not exit: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Exit(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /**
     * What a restart cannot mend exits 2, which the systemd unit does not restart on: it would
     * otherwise fail every five seconds until an administrator came.
     */
    @Test
    void aLogDirectoryThatCannotBeWrittenStopsTheStart(@TempDir Path home) throws Exception {
        Path taken = Files.writeString(home.resolve("not-a-directory"), "a file");
        Exit exit = serve(home, Map.of("TOKENGATE_LOG_DIR", taken.toString()));
        assertThat(exit.code()).as(exit.err()).isEqualTo(2);
        assertThat(exit.err())
                .contains("tokengate: could not start: cannot write logs to " + taken)
                .contains("set log.dir to another directory, or to none");
        assertThat(home.resolve("data")).as("no database was opened").doesNotExist();
    }

    /** A cluster node given no copy of the key file, or another one: exit 2, as for the log directory. */
    @Test
    void aKeyFileThatIsNotTheDatabasesStopsTheStart(@TempDir Path home) throws Exception {
        try (Store firstStart =
                Store.open(StoreConfig.builder(home).nodeId("first").build(), Clock.systemUTC())) {
            assertThat(firstStart.tokens().list(TokenQuery.all()).tokens()).isEmpty();
        }
        Path key = home.resolve("tokengate.key");
        Files.delete(key);

        Exit missing = serve(home, Map.of());
        assertThat(missing.code()).as(missing.err()).isEqualTo(2);
        assertThat(missing.err()).contains("tokengate: could not start: The key file " + key.toAbsolutePath());

        KeyFile.loadOrCreate(key, Clock.systemUTC(), new SecureRandom());
        Exit another = serve(home, Map.of());
        assertThat(another.code()).as(another.err()).isEqualTo(2);
        assertThat(another.err()).contains("tokengate: could not start: The key file " + key);
    }

    /**
     * The twin of config check's warning (ConfigCommandIT): a database reached across the network
     * without a verified certificate is said in the log of every start, where a service manager
     * keeps it. The address is one of TEST-NET's, which nothing answers: the start fails after.
     */
    @Test
    void aDatabaseAcrossTheNetworkWithoutVerifiedTlsIsAWarningInTheLog(@TempDir Path home) throws Exception {
        Exit exit = serve(
                home,
                Map.of(
                        "TOKENGATE_DB_URL", "jdbc:postgresql://192.0.2.10:5432/tokengate?sslmode=require",
                        "TOKENGATE_DB_CONNECTION_TIMEOUT_MS", "1000"));
        String log;
        try (Stream<Path> files = Files.list(home.resolve("logs"))) {
            log = files.map(ServeStartIT::read).collect(Collectors.joining());
        }
        assertThat(log)
                .as("the log files (%s)", exit.err())
                .contains("db.url: the database on 192.0.2.10 is reached over the network and sslmode=require"
                        + " encrypts but does not check whose certificate it gets: whoever is on the path can read"
                        + " db.password and the token store or pose as the database; use"
                        + " sslmode=verify-full&sslrootcert=CA.pem")
                .contains("\"level\":\"WARN\"");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    @Test
    void theLauncherStartsServeWithTheMeasuredJvmOptions(@TempDir Path home) throws Exception {
        Path log = home.resolve("serve.log");
        ServeProcess serve = ServeProcess.start(ServeProcess.launcher(home, URI.create("http://127.0.0.1:9")), log);
        try {
            assertThat(Files.readString(log, StandardCharsets.UTF_8))
                    .as("a home without users: said, with the step, before anyone tries to sign in")
                    .contains("no users yet: nobody can sign in or create tokens. Add the first admin with 'tokengate"
                            + " user add NAME --admin --home " + home.toAbsolutePath()
                            + "' after stopping this server");
            List<String> arguments = List.of(serve.process().info().arguments().orElseThrow());
            assertThat(arguments)
                    .as("the JVM's own arguments: the launcher execs it")
                    .contains("-XX:+UseParallelGC", "-Xmx128m");
            if (Runtime.version().compareTo(Runtime.Version.parse("17.0.11")) >= 0) {
                assertThat(arguments)
                        .as("native memory given back, where the JDK knows how")
                        .contains("-XX:TrimNativeHeapInterval=1000");
            }
        } finally {
            serve.process().destroy();
            assertThat(serve.awaitExit(Duration.ofSeconds(30))).isTrue();
        }
    }
}
