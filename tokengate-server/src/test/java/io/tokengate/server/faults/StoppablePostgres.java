package io.tokengate.server.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, which it really stops and starts again with {@code
 * pg_ctl}, as an operator or a crash does: on a free loopback port, its data in a directory under
 * the temporary directory, deleted on close. The shared server (127.0.0.1:5432) is never touched.
 *
 * <p>PostgreSQL refuses to run as root: when the tests do, its commands run as user {@code
 * postgres} through {@code runuser}. Its binaries are those of {@code TOKENGATE_TEST_PG_BIN}, or
 * of the newest {@code /usr/lib/postgresql/VERSION/bin} (what Debian's package installs).
 */
final class StoppablePostgres implements AutoCloseable {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path data;
    private final int port;

    private StoppablePostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    /** A new server, initialised and started: trust authentication, user postgres. */
    static StoppablePostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path data = Files.createTempDirectory("tokengate-pg-");
        if (ROOT) {
            UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(data, PosixFileAttributeView.class);
            view.setOwner(users.lookupPrincipalByName("postgres"));
            view.setGroup(users.lookupPrincipalByGroupName("postgres"));
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        StoppablePostgres server = new StoppablePostgres(bin, data, port);
        try {
            server.run("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
            server.startAgain();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** A JDBC URL of its database {@code postgres}, without the user. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server, and returns once it accepts connections. */
    void startAgain() throws IOException, InterruptedException {
        run(
                "pg_ctl",
                "start",
                "-D",
                data.toString(),
                "-w",
                "-t",
                "60",
                "-l",
                data.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off");
    }

    /** Stops the server ({@code fast}: ends every session; {@code immediate}: as a crash), and waits until it has. */
    void stop(String mode) throws IOException, InterruptedException {
        run("pg_ctl", "stop", "-D", data.toString(), "-m", mode, "-w", "-t", "60");
    }

    /**
     * Runs {@code command} (a PostgreSQL binary and its arguments) as the server's user, and waits
     * for it.
     */
    private void run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (ROOT) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.add(bin.resolve(command[0]).toString());
        line.addAll(List.of(command).subList(1, command.length));
        Path output = Files.createTempFile("tokengate-pg-" + command[0] + "-", ".log");
        try {
            Process process = new ProcessBuilder(line)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", line) + " did not end within 90 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", line) + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path binaries() throws IOException {
        String configured = System.getenv("TOKENGATE_TEST_PG_BIN");
        if (configured != null) {
            return Path.of(configured);
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                Path newest = versions.filter(
                                v -> Files.isExecutable(v.resolve("bin").resolve("pg_ctl")))
                        .max(Comparator.comparing(
                                v -> v.getFileName().toString(),
                                Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IOException("no PostgreSQL binaries under " + installed + " (install Debian's postgresql package,"
                + " which .ci/setup does, or set TOKENGATE_TEST_PG_BIN to the directory of pg_ctl)");
    }

    /** Stops the server as a crash would, whatever its state, and deletes its data. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop("immediate");
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
