package io.tokengate.server.faults;

import static io.tokengate.server.faults.Installation.ARCHIVE;
import static io.tokengate.server.faults.Installation.SECRET;
import static io.tokengate.server.faults.Installation.VERSION;
import static io.tokengate.server.faults.Installation.get;
import static io.tokengate.server.faults.Installation.run;
import static io.tokengate.server.faults.Installation.unpack;
import static io.tokengate.server.faults.Installation.withoutTokengateEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.faults.Installation.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive this build made ({@code target/tokengate-VERSION.tar.gz}, by the
 * package phase), installed as README's "Installing on a server" says: unpacked, its launcher
 * runs the packaged jar, {@code config check} and an offline command work on a home of their own,
 * and {@code serve} runs with the checkout launcher's JVM options, forwards a token's request and
 * stops cleanly on SIGTERM, as systemd stops it. The unit itself: SystemdUnitIT.
 */
class DistributionIT {
    @Test
    void theUnpackedArchiveRunsAndServesWithTheLaunchersJvmOptions(@TempDir Path dir) throws Exception {
        assertThat(ARCHIVE).as("the archive the package phase built").isRegularFile();
        Run unpack = run(dir, "tar", "--no-same-owner", "-xzf", ARCHIVE.toString());
        assertThat(unpack.code()).as(unpack.output()).isZero();
        Path installed = dir.resolve("tokengate-" + VERSION);
        String launcher = installed.resolve("bin/tokengate").toString();
        assertThat(installed.resolve("systemd/tokengate.service"))
                .content()
                .contains("ExecStart=/opt/tokengate/bin/tokengate serve");

        Run version = run(dir, launcher, "--version");
        assertThat(version.code()).as(version.output()).isZero();
        assertThat(version.output()).isEqualTo("tokengate " + VERSION + "\n");

        try (DemoJira jira = DemoJira.start(GatewayFixture.headerUpstream())) {
            Path home = Files.createDirectory(dir.resolve("home"));
            Files.writeString(
                    home.resolve("tokengate.properties"),
                    "upstream.url=" + jira.baseUri() + "\ngateway.host=127.0.0.1\ngateway.port=0\nadmin.port=0\n");
            Run check = run(dir, launcher, "config", "check", "--home", home.toString());
            assertThat(check.code()).as(check.output()).isZero();

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
            assertThat(created.code()).as(created.output()).isZero();
            Matcher secret = SECRET.matcher(created.output());
            assertThat(secret.find()).as(created.output()).isTrue();

            ProcessBuilder serve =
                    new ProcessBuilder(launcher, "serve", "--home", home.toString()).directory(dir.toFile());
            withoutTokengateEnvironment(serve);
            ServeProcess server = ServeProcess.start(serve, dir.resolve("serve.out"));
            try {
                List<String> arguments =
                        List.of(server.process().info().arguments().orElseThrow());
                assertThat(arguments)
                        .as("the JVM runs the installed jar with the checkout launcher's options")
                        .contains(
                                "-XX:+UseParallelGC",
                                "-Xmx128m",
                                "-jar",
                                installed
                                        .resolve("lib/tokengate.jar")
                                        .toRealPath()
                                        .toString());
                if (Runtime.version().compareTo(Runtime.Version.parse("17.0.11")) >= 0) {
                    assertThat(arguments).contains("-XX:TrimNativeHeapInterval=1000");
                }
                assertThat(get(server.adminUrl().resolve("/health/live"), null)).isEqualTo(200);
                assertThat(get(
                                server.url().resolve("/rest/api/2/issue/AAA-1"),
                                GatewayFixture.basic("admin", secret.group(1))))
                        .as("a token's request forwarded to the upstream")
                        .isEqualTo(200);
            } finally {
                server.process().destroy(); // SIGTERM
                assertThat(server.awaitExit(Duration.ofSeconds(30)))
                        .as("stopped on SIGTERM")
                        .isTrue();
            }
            assertThat(server.process().exitValue())
                    .as("a clean stop on SIGTERM: the unit's SuccessExitStatus")
                    .isEqualTo(143);
            assertThat(home.resolve("logs/tokengate.log")).isNotEmptyFile();
        }
    }

    /**
     * What only an administrator can mend makes the launcher exit with a status the unit does not
     * restart on: a service restarted every five seconds forever says the same thing to the
     * journal each time, and never gets better. Under systemd 252 a mistyped option in
     * TOKENGATE_JAVA_OPTS (the JVM's exit 1) and a JAVA_HOME without Java (127) were restarted so.
     */
    @Test
    void whatOnlyAnAdministratorMendsIsNotRestarted(@TempDir Path dir) throws Exception {
        Path installed = unpack(dir);
        String launcher = installed.resolve("bin/tokengate").toString();
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.writeString(home.resolve("tokengate.properties"), "upstream.url=http://127.0.0.1:9\n");
        Set<Integer> notRestarted = restartPreventExitStatus(installed.resolve("systemd/tokengate.service"));

        Run mistyped = run(
                dir,
                Map.of("TOKENGATE_JAVA_OPTS", "-Xmx128m -XX:+UseParalelGC"),
                launcher,
                "serve",
                "--home",
                home.toString());
        assertThat(mistyped.output())
                .as("the JVM's own word, and which setting it refused")
                .contains("Unrecognized VM option 'UseParalelGC'")
                .contains("the JVM refuses TOKENGATE_JAVA_OPTS (-Xmx128m -XX:+UseParalelGC)");
        assertThat(mistyped.code()).as(mistyped.output()).isEqualTo(2).isIn(notRestarted);

        Run noJava = run(
                dir,
                Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()),
                launcher,
                "serve",
                "--home",
                home.toString());
        assertThat(noJava.output()).contains("no Java at " + dir.resolve("no-jdk/bin/java"));
        assertThat(noJava.code()).as(noJava.output()).isEqualTo(127).isIn(notRestarted);

        Files.writeString(home.resolve("tokengate.properties"), "gateway.port=80800x\n", StandardOpenOption.APPEND);
        Run invalid = run(dir, launcher, "serve", "--home", home.toString());
        assertThat(invalid.output()).contains("invalid configuration");
        assertThat(invalid.code()).as(invalid.output()).isEqualTo(2).isIn(notRestarted);
    }

    /** The exit statuses of {@code RestartPreventExitStatus=} in a unit file. */
    private static Set<Integer> restartPreventExitStatus(Path unit) throws IOException {
        Set<Integer> statuses = new HashSet<>();
        for (String line : Files.readAllLines(unit)) {
            if (line.startsWith("RestartPreventExitStatus=")) {
                for (String status :
                        line.substring(line.indexOf('=') + 1).trim().split("\\s+")) {
                    statuses.add(Integer.parseInt(status));
                }
            }
        }
        return statuses;
    }
}
