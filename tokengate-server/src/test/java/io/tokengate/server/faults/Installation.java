package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution archive this build made ({@code target/tokengate-VERSION.tar.gz}, by the
 * package phase), unpacked as on a server, and its commands run as an administrator or the
 * systemd unit runs them: for DistributionIT and SystemdUnitIT.
 */
final class Installation {
    static final Path ARCHIVE = Path.of(System.getProperty("tokengate.dist.archive", "unset"));
    static final String VERSION = System.getProperty("tokengate.version", "unset");
    static final Pattern SECRET = Pattern.compile("\"token\" : \"(tgk_\\w+)\"");

    record Run(int code, String output) {}

    private Installation() {}

    /** Runs a command that must end within a minute, with no input. */
    static Run run(Path dir, String... command) throws IOException, InterruptedException {
        return run(dir, Map.of(), command);
    }

    /** Runs a command that must end within a minute, with no input, with these environment variables. */
    static Run run(Path dir, Map<String, String> environment, String... command)
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
    static void withoutTokengateEnvironment(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(name -> name.startsWith("TOKENGATE_"));
        builder.environment().remove("JAVA_HOME");
        Path java = Path.of(System.getProperty("java.home"), "bin");
        builder.environment().merge("PATH", java.toString(), (path, bin) -> bin + ":" + path);
    }

    /** Unpacks the archive into {@code dir}; returns the installation it holds. */
    static Path unpack(Path dir) throws IOException, InterruptedException {
        assertThat(ARCHIVE).as("the archive the package phase built").isRegularFile();
        Run unpack = run(dir, "tar", "--no-same-owner", "-xzf", ARCHIVE.toString());
        assertThat(unpack.code()).as(unpack.output()).isZero();
        return dir.resolve("tokengate-" + VERSION);
    }

    /** {@code command} (serve) as the unit starts it: in the home, the home from TOKENGATE_HOME, no input. */
    static Process startAsTheUnit(Path dir, Path home, String... command) throws IOException {
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
    static List<String> execStartPost(Path unit) throws IOException {
        Pattern shell = Pattern.compile("^ExecStartPost=(/\\S+) -c '([^']+)'$");
        for (String line : Files.readAllLines(unit)) {
            Matcher m = shell.matcher(line);
            if (m.matches()) {
                return List.of(m.group(1), "-c", m.group(2));
            }
        }
        throw new AssertionError("no ExecStartPost=SHELL -c '...' in " + unit);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static int get(URI uri, String authorization) throws IOException, InterruptedException {
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
