package io.tokengate.server.faults;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tokengate serve} from the runnable jar as a process of its own, on free ports. Its output
 * (stdout and stderr) is copied to a log file by a thread of its own for as long as it runs, so a
 * server that logs a lot never blocks on a full pipe, and tests can read what it logged.
 */
final class ServeProcess {
    private static final Path JAR = Path.of("target", "tokengate.jar");
    private static final Path LAUNCHER = Path.of("..", "tokengate");
    private static final Pattern LISTENING = Pattern.compile("gateway on (http://\\S+), admin on (http://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Thread output;
    private final Listening listening;

    /** The base URLs serve prints once it listens. */
    private record Listening(URI gateway, URI admin) {}

    private ServeProcess(Process process, Thread output, Listening listening) {
        this.process = process;
        this.output = output;
        this.listening = listening;
    }

    /** {@code tokengate serve} on {@code home} and free ports, in front of {@code upstream}, not started. */
    static ProcessBuilder command(Path home, URI upstream) {
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "serve",
                "--home",
                home.toString(),
                "--port",
                "0",
                "--admin-port",
                "0",
                "--upstream",
                upstream.toString());
    }

    /**
     * {@code ./tokengate serve} through the launcher at the repository's root, as an administrator
     * starts it, with this JVM's JDK and the launcher's own JVM options; not started.
     */
    static ProcessBuilder launcher(Path home, URI upstream) {
        ProcessBuilder builder = command(home, upstream);
        builder.command().subList(0, 3).clear(); // java -jar JAR
        builder.command().add(0, LAUNCHER.toAbsolutePath().toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("TOKENGATE_JAVA_OPTS");
        return builder;
    }

    /** Starts the server with {@code environment} added to this JVM's, and waits until it listens. */
    static ServeProcess start(Path home, URI upstream, Path log, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = command(home, upstream);
        builder.environment().putAll(environment);
        return start(builder, log);
    }

    /** Starts {@code builder}'s server, and waits until it listens. */
    static ServeProcess start(ProcessBuilder builder, Path log) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread output = new Thread(() -> copy(process.getInputStream(), log, lines), "serve-output");
        output.setDaemon(true);
        output.start();
        try {
            return new ServeProcess(process, output, awaitListening(lines));
        } catch (IllegalStateException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    Process process() {
        return process;
    }

    /** The gateway's base URL. */
    URI url() {
        return listening.gateway();
    }

    /** The admin plane's base URL. */
    URI adminUrl() {
        return listening.admin();
    }

    /**
     * Waits until the process has ended and all of its output is in the log.
     *
     * @return whether it ended within {@code timeout}
     */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        output.join(timeout.toMillis());
        return ended;
    }

    private static void copy(InputStream from, Path log, BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.newLine();
                out.flush(); // a line seen in the queue is in the file
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("output lost: " + e);
        }
    }

    private static Listening awaitListening(BlockingQueue<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String line;
        while ((line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return new Listening(URI.create(m.group(1)), URI.create(m.group(2)));
            }
        }
        throw new IllegalStateException("tokengate serve did not start within " + START_TIMEOUT.toSeconds() + " s");
    }
}
