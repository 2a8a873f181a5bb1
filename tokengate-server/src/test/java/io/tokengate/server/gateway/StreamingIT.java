package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies far larger than the gateway's heap pass through it, both ways, byte for byte: the
 * gateway runs as the real runnable jar ({@code tokengate.jar serve}) in its own JVM with a
 * {@value #HEAP} heap and 32 MiB of direct memory, and exits on the first OutOfMemoryError, and
 * {@value #SIZE_MIB} MiB go through it in each direction. A gateway that buffered a body could
 * not pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingIT {
    private static final String HEAP = "-Xmx48m";
    private static final int SIZE_MIB = 200;
    private static final long SIZE = SIZE_MIB * 1024L * 1024L;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path home;
    private DemoJira jira;
    private Process gateway;
    private Path log;
    private URI gatewayUri;
    private String auth;
    private final Map<String, String> requestIds = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    void start(@TempDir Path home) throws Exception {
        this.home = home;
        Path jar = Path.of("target", "tokengate.jar").toAbsolutePath();
        assertThat(jar)
                .as("the runnable jar is built by 'package', before integration tests: run ./mvnw verify")
                .isRegularFile();
        jira = DemoJira.start(GatewayFixture.headerUpstream());
        Files.writeString(
                home.resolve(ConfigLoader.FILE_NAME),
                String.join(
                        "\n",
                        "gateway.host=127.0.0.1",
                        "gateway.port=0",
                        "admin.port=0",
                        "upstream.url=" + jira.baseUri(),
                        "node.id=streaming",
                        "audit.flush.interval.ms=20",
                        ""));
        try (Store store = openStore()) {
            auth = GatewayFixture.basic(
                    "admin",
                    store.tokens()
                            .create(TokenSpec.bound("streaming", "admin", "admin"))
                            .secret()
                            .reveal());
        }
        Path out = home.resolve("serve.out");
        log = home.resolve("serve.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        gateway = new ProcessBuilder(
                        java,
                        HEAP,
                        "-XX:MaxDirectMemorySize=32m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-jar",
                        jar.toString(),
                        "serve",
                        "--home",
                        home.toString())
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        gatewayUri = awaitGatewayUri(out);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (gateway != null) {
                stopGateway();
            }
        } finally {
            if (jira != null) {
                jira.close();
            }
        }
    }

    private void stopGateway() throws InterruptedException {
        if (gateway.isAlive()) {
            gateway.destroy(); // SIGTERM: the shutdown hook drains requests and flushes the audit log
            if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
                throw new AssertionError("tokengate did not stop within 30 s of SIGTERM:\n" + tail(log));
            }
        }
    }

    @Test
    @Order(1)
    void aDownloadLargerThanTheGatewaysHeapArrivesWhole() throws Exception {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(gatewayUri.resolve("/rest/api/2/attachment/content/10001?size=" + SIZE))
                        .header("Authorization", auth)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as(this::gatewayLog).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        Digest received;
        try (InputStream body = response.body()) {
            received = Digest.of(body);
        }
        assertThat(received.length()).as(this::gatewayLog).isEqualTo(SIZE);
        assertThat(received.sha256())
                .isEqualTo(Digest.of(DemoJira.attachmentContent(SIZE)).sha256());
        assertThat(gateway.isAlive()).as(this::gatewayLog).isTrue();
        requestIds.put("download", response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    @Order(2)
    void anUploadLargerThanTheGatewaysHeapArrivesWholeWhenNoRestrictionReadsIt() throws Exception {
        HttpRequest.BodyPublisher upload = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> DemoJira.attachmentContent(SIZE)), SIZE);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(gatewayUri.resolve("/rest/api/2/echo/upload"))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/octet-stream")
                        .POST(upload)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(this::gatewayLog).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.path("bodyLength").asLong()).isEqualTo(SIZE);
        assertThat(echo.path("bodySha256").asText())
                .isEqualTo(Digest.of(DemoJira.attachmentContent(SIZE)).sha256());
        assertThat(gateway.isAlive()).as(this::gatewayLog).isTrue();
        requestIds.put("upload", response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    /** Stopping the gateway gracefully writes every audit record, with the bytes counted. */
    @Test
    @Order(3)
    void aGracefulStopWritesTheAuditRecordsWithEveryByteCounted() throws Exception {
        assertThat(requestIds).hasSize(2);
        stopGateway();
        try (Store store = openStore()) {
            List<AuditEvent> events =
                    store.auditLog().query(AuditQuery.all().withLimit(100)).events();
            AuditEvent download = find(events, requestIds.get("download"));
            AuditEvent upload = find(events, requestIds.get("upload"));
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.bytesOut()).isEqualTo(SIZE);
            assertThat(upload.status()).isEqualTo(200);
            assertThat(upload.bytesIn()).isEqualTo(SIZE);
        }
    }

    private static AuditEvent find(List<AuditEvent> events, String requestId) {
        return events.stream()
                .filter(e -> requestId.equals(e.requestId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no audit record for request " + requestId));
    }

    private Store openStore() {
        return Store.open(ConfigLoader.load(home, Map.of(), Map.of(), false).store(), Clock.systemUTC());
    }

    private URI awaitGatewayUri(Path out) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("tokengate: gateway on "))
                    .findFirst();
            if (line.isPresent()) {
                String rest = line.get().substring("tokengate: gateway on ".length());
                return URI.create(rest.substring(0, rest.indexOf(',')));
            }
            if (!gateway.isAlive()) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval
        }
        throw new AssertionError("tokengate serve did not start within " + START_TIMEOUT + ":\n" + tail(log));
    }

    private String gatewayLog() {
        return "gateway " + (gateway.isAlive() ? "running" : "exited with " + gateway.exitValue()) + ", log:\n"
                + tail(log);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Length and SHA-256 of a stream, read 64 KiB at a time. */
    record Digest(long length, String sha256) {
        static Digest of(InputStream in) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long length = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                length += n;
            }
            return new Digest(length, HexFormat.of().formatHex(sha.digest()));
        }
    }
}
