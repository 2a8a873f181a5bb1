package io.tokengate.store;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of its own that takes TLS connections only, as a production database does
 * (RDS with rds.force_ssl, a company CA): made with initdb in a temporary directory, its
 * certificate signed by a CA made with openssl for the name {@code localhost} only (so {@code
 * 127.0.0.1} is a host the certificate does not name), password authentication, plain connections
 * refused. One per test class: initdb and a start take seconds. Skips the test only when the
 * PostgreSQL server binaries are not installed ({@code .ci/setup} installs them).
 */
final class TlsPostgres implements AutoCloseable {
    static final String USER = "tg_tls";
    static final String PASSWORD = "Tls-db-pw-4f9c1e";
    static final String DATABASE = "tg_tls";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgres;

    private TlsPostgres(Path dir, Path bin, int port, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    static TlsPostgres start() throws Exception {
        Optional<Path> bin = serverBinaries();
        Assumptions.assumeTrue(
                bin.isPresent(),
                "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/initdb) are not installed: .ci/setup"
                        + " installs them");
        boolean asPostgres = "root".equals(System.getProperty("user.name")); // initdb refuses root
        Path dir = Files.createTempDirectory("tg-tls-pg");
        TlsPostgres pg = new TlsPostgres(dir, bin.get(), freePort(), asPostgres);
        try {
            pg.makeCertificates();
            pg.initAndStart();
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    /** The CA that signed the server's certificate, as PEM. */
    Path ca() {
        return dir.resolve("ca.pem");
    }

    /** A CA that signed nothing of this server's. */
    Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    /** {@code jdbc:postgresql://HOST:PORT/DATABASE?QUERY}. */
    String url(String host, String query) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE + (query.isEmpty() ? "" : "?" + query);
    }

    private void makeCertificates() throws Exception {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=tokengate test CA");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "other-ca.key",
                "-out",
                "other-ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=another CA");
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost\n");
        openssl(
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "san.cnf");
    }

    private void initAndStart() throws Exception {
        Path data = dir.resolve("data");
        if (asPostgres) {
            UserPrincipal postgres =
                    dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            for (String file : List.of("server.crt", "server.key")) {
                Files.setOwner(dir.resolve(file), postgres);
            }
        }
        run(
                true,
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync");
        Files.move(dir.resolve("server.crt"), data.resolve("server.crt"));
        Files.move(dir.resolve("server.key"), data.resolve("server.key"));
        Files.writeString(
                data.resolve("postgresql.conf"),
                "\nport = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + data
                        + "'\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nfsync = off\n"
                        + "password_encryption = 'scram-sha-256'\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(
                data.resolve("pg_hba.conf"),
                "local all all trust\nhostnossl all all 0.0.0.0/0 reject\nhostssl all all 127.0.0.1/32 scram-sha-256\n");
        run(
                true,
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "start");
        psql("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        psql("CREATE DATABASE " + DATABASE + " OWNER " + USER);
    }

    private void psql(String sql) throws Exception {
        run(
                true,
                bin.resolve("psql").toString(),
                "-h",
                dir.resolve("data").toString(),
                "-p",
                Integer.toString(port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                sql);
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(false, command.toArray(String[]::new));
    }

    private void run(boolean postgresUser, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (postgresUser && asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run(true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            } catch (Exception | AssertionError e) {
                // the directory goes anyway; a server left behind dies with its files
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static Optional<Path> serverBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> b.getParent().getFileName().toString(), TlsPostgres::byVersion));
        }
    }

    private static int byVersion(String a, String b) {
        try {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
