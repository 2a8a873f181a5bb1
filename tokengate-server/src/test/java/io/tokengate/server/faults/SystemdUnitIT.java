package io.tokengate.server.faults;

import static io.tokengate.server.faults.Installation.SECRET;
import static io.tokengate.server.faults.Installation.execStartPost;
import static io.tokengate.server.faults.Installation.freePort;
import static io.tokengate.server.faults.Installation.get;
import static io.tokengate.server.faults.Installation.run;
import static io.tokengate.server.faults.Installation.startAsTheUnit;
import static io.tokengate.server.faults.Installation.unpack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.faults.Installation.Run;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The archive's systemd unit ({@code systemd/tokengate.service}), checked as far as that goes
 * without booting systemd: its commands run as systemd runs them. Booted under systemd 252
 * (systemd-nspawn, Debian bookworm), it served, stopped and restarted as these tests expect.
 */
class SystemdUnitIT {
    /**
     * {@code systemctl start tokengate} returns, and units ordered after it start, only once
     * tokengate serves: the unit's {@code ExecStartPost} waits until then. Run here as systemd runs
     * it (its {@code $MAINPID} the JVM's pid, the launcher execs it), it ends only once a request
     * through the gateway is answered, which under systemd 252 came 4-5 s after "Started"
     * without it; for a start that fails, it fails at once rather than waiting for the timeout.
     */
    @Test
    void theUnitSaysStartedOnlyOnceTheGatewayServes(@TempDir Path dir) throws Exception {
        Path installed = unpack(dir);
        String launcher = installed.resolve("bin/tokengate").toString();
        List<String> startPost = execStartPost(installed.resolve("systemd/tokengate.service"));
        try (DemoJira jira = DemoJira.start(GatewayFixture.headerUpstream())) {
            Path home = Files.createDirectory(dir.resolve("home"));
            int port = freePort();
            int adminPort = freePort();
            Files.writeString(
                    home.resolve("tokengate.properties"),
                    "upstream.url=" + jira.baseUri() + "\ngateway.host=127.0.0.1\ngateway.port=" + port
                            + "\nadmin.port=" + adminPort + "\n");
            Run created = run(
                    dir,
                    launcher,
                    "token",
                    "create",
                    "--name",
                    "dist",
                    "--user",
                    "admin",
                    "--json",
                    "--home",
                    home.toString());
            Matcher secret = SECRET.matcher(created.output());
            assertThat(secret.find()).as(created.output()).isTrue();

            Process server = startAsTheUnit(dir, home, launcher, "serve");
            try {
                Run started = run(
                        dir,
                        Map.of("MAINPID", Long.toString(server.pid()), "TOKENGATE_HOME", home.toString()),
                        startPost.toArray(String[]::new));
                assertThat(started.code()).as(started.output()).isZero();
                assertThat(get(
                                URI.create("http://127.0.0.1:" + port + "/rest/api/2/issue/AAA-1"),
                                GatewayFixture.basic("admin", secret.group(1))))
                        .as("a request through the gateway, as soon as the start is done")
                        .isEqualTo(200);
            } finally {
                server.destroy();
                assertThat(server.waitFor(30, TimeUnit.SECONDS))
                        .as("stopped on SIGTERM")
                        .isTrue();
            }

            Files.writeString(home.resolve("tokengate.properties"), "gateway.port=80800x\n", StandardOpenOption.APPEND);
            Process invalid = startAsTheUnit(dir, home, launcher, "serve");
            Run failed = run(
                    dir,
                    Map.of("MAINPID", Long.toString(invalid.pid()), "TOKENGATE_HOME", home.toString()),
                    startPost.toArray(String[]::new));
            assertThat(invalid.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(invalid.exitValue()).isEqualTo(2);
            assertThat(failed.code())
                    .as("a start that ended in an invalid configuration fails")
                    .isNotZero();
        }
    }

    /**
     * A JVM that crashes writes its report ({@code hs_err_pidPID.log}) to HOME/logs, not to its
     * working directory, the home under the unit, where they piled up beside the database; and
     * serve keeps only the newest 10 there, as a service that crashes at every restart would write
     * one every 5 s. So too when an administrator gives JVM options of their own, which replace the
     * launcher's (they dropped this one with the rest), or sends the log elsewhere (the old reports
     * were looked for there).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "the launcher's JVM options",
                "TOKENGATE_JAVA_OPTS='-XX:+UseSerialGC -Xmx96m'",
                "log.dir=elsewhere",
                "log.dir=none"
            })
    void aCrashReportGoesToTheLogsAndOnlyTheNewestAreKept(String setting, @TempDir Path dir) throws Exception {
        String environment = setting.startsWith("TOKENGATE_JAVA_OPTS=") ? "export " + setting + "; " : "";
        String logDir = setting.startsWith("log.dir=") ? setting + "\n" : "";
        Path installed = unpack(dir);
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.writeString(
                home.resolve("tokengate.properties"),
                "upstream.url=http://127.0.0.1:9\ngateway.host=127.0.0.1\ngateway.port=0\nadmin.port=0\n" + logDir);
        Path logs = Files.createDirectory(home.resolve("logs"));
        for (int i = 1; i <= 12; i++) {
            Path old = Files.writeString(logs.resolve("hs_err_pid" + i + ".log"), "an earlier crash\n");
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(13 - i))));
        }

        // As the unit starts it; no core file for the crash to come.
        Process server = startAsTheUnit(
                dir,
                home,
                "/bin/sh",
                "-c",
                "ulimit -c 0; " + environment + "exec " + installed.resolve("bin/tokengate") + " serve");
        Run started = run(
                dir,
                Map.of("MAINPID", Long.toString(server.pid()), "TOKENGATE_HOME", home.toString()),
                execStartPost(installed.resolve("systemd/tokengate.service")).toArray(String[]::new));
        assertThat(started.code()).as(started.output()).isZero();
        new ProcessBuilder("kill", "-SEGV", Long.toString(server.pid()))
                .inheritIO()
                .start()
                .waitFor();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("crashed").isTrue();

        assertThat(logs.resolve("hs_err_pid" + server.pid() + ".log"))
                .content()
                .contains("A fatal error has been detected by the Java Runtime Environment");
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("the home")
                    .noneMatch(name -> name.startsWith("hs_err"));
        }
        try (Stream<Path> files = Files.list(logs)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("the newest 10 before the start, and this one")
                    .filteredOn(name -> name.startsWith("hs_err"))
                    .hasSize(11)
                    .doesNotContain("hs_err_pid1.log", "hs_err_pid2.log")
                    .contains("hs_err_pid3.log", "hs_err_pid12.log");
        }
    }

    /**
     * The unit as shipped parses without a warning under the systemd of the machine (an unknown
     * or misspelt setting is only a warning to systemd, which then runs the service without it),
     * and keeps its hardening: {@code systemd-analyze security} rates it 2.0 at most (1.7 under
     * systemd 252 offline; 3.0 without its system call filter).
     * Booted under systemd 252 (systemd-nspawn, Debian bookworm), it served, stopped cleanly and
     * wrote only to its home and a private /tmp; this test keeps what can be checked without a
     * boot.
     */
    @Test
    void theUnitPassesSystemdAnalyze(@TempDir Path dir) throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "needs systemd-analyze (Debian's systemd: .ci/setup installs it)");
        Path installed = unpack(dir);
        String shipped = Files.readString(installed.resolve("systemd/tokengate.service"));
        assertThat(shipped).contains("ExecStart=/opt/tokengate/bin/tokengate serve");
        // verify checks that ExecStart is executable: point it at the unpacked launcher.
        Path unit = dir.resolve("tokengate.service");
        Files.writeString(unit, shipped.replace("/opt/tokengate/", installed.toRealPath() + "/"));

        Run verify = run(dir, "systemd-analyze", "verify", "--man=no", unit.toString());
        assertThat(verify.output()).as("systemd's warnings about the unit").isEmpty();
        assertThat(verify.code()).isZero();

        Run security = run(dir, "systemd-analyze", "security", "--offline=yes", "--threshold=20", unit.toString());
        assertThat(security.code())
                .as("exposure at most 2.0:%n%s", security.output())
                .isZero();
    }
}
