package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive this build made ({@code target/tokengate-VERSION.tar.gz}, by the
 * package phase), installed as README's "Installing on a server" says: unpacked, its launcher
 * runs the packaged jar, {@code config check} and an offline command work on a home of their own,
 * and {@code serve} runs with the checkout launcher's JVM options, forwards a token's request and
 * stops cleanly on SIGTERM, as systemd stops it.
 */
class DistributionIT {
    private static final Path ARCHIVE = Path.of(System.getProperty("tokengate.dist.archive", "unset"));
    private static final String VERSION = System.getProperty("tokengate.version", "unset");
    private static final Pattern SECRET = Pattern.compile("\"token\" : \"(tgk_\\w+)\"");

    private record Run(int code, String output) {}

    /** Runs a command that must end within a minute, with no input. */
    private static Run run(Path dir, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), command);
    }

    /** Runs a command that must end within a minute, with no input, with these environment variables. */
    private static Run run(Path dir, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "run", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        withoutTokengateEnvironment(builder);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not end: " + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** As on a server: no settings or JVM options from the environment, the launcher finds Java on the PATH. */
    private static void withoutTokengateEnvironment(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(name -> name.startsWith("TOKENGATE_"));
        builder.environment().remove("JAVA_HOME");
        Path java = Path.of(System.getProperty("java.home"), "bin");
        builder.environment().merge("PATH", java.toString(), (path, bin) -> bin + ":" + path);
    }

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
     * one every 5 s.
     */
    @Test
    void aCrashReportGoesToTheLogsAndOnlyTheNewestAreKept(@TempDir Path dir) throws Exception {
        Path installed = unpack(dir);
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.writeString(
                home.resolve("tokengate.properties"),
                "upstream.url=http://127.0.0.1:9\ngateway.host=127.0.0.1\ngateway.port=0\nadmin.port=0\n");
        Path logs = Files.createDirectory(home.resolve("logs"));
        for (int i = 1; i <= 12; i++) {
            Path old = Files.writeString(logs.resolve("hs_err_pid" + i + ".log"), "an earlier crash\n");
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(13 - i))));
        }

        // As the unit starts it; no core file for the crash to come.
        Process server = startAsTheUnit(
                dir, home, "/bin/sh", "-c", "ulimit -c 0; exec " + installed.resolve("bin/tokengate") + " serve");
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

    /** {@code command} (serve) as the unit starts it: in the home, the home from TOKENGATE_HOME, no input. */
    private static Process startAsTheUnit(Path dir, Path home, String... command) throws IOException {
        ProcessBuilder serve = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile(dir, "serve", ".out").toFile());
        withoutTokengateEnvironment(serve);
        serve.environment().put("TOKENGATE_HOME", home.toString());
        Process process = serve.start();
        process.getOutputStream().close();
        return process;
    }

    /** The command of the unit's {@code ExecStartPost=}: a shell and its script. */
    private static List<String> execStartPost(Path unit) throws IOException {
        Pattern shell = Pattern.compile("^ExecStartPost=(/\\S+) -c '([^']+)'$");
        for (String line : Files.readAllLines(unit)) {
            Matcher m = shell.matcher(line);
            if (m.matches()) {
                return List.of(m.group(1), "-c", m.group(2));
            }
        }
        throw new AssertionError("no ExecStartPost=SHELL -c '...' in " + unit);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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

    private static Path unpack(Path dir) throws IOException, InterruptedException {
        assertThat(ARCHIVE).as("the archive the package phase built").isRegularFile();
        Run unpack = run(dir, "tar", "--no-same-owner", "-xzf", ARCHIVE.toString());
        assertThat(unpack.code()).as(unpack.output()).isZero();
        return dir.resolve("tokengate-" + VERSION);
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

    private static int get(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
