package io.tokengate.server;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.store.NewUser;
import io.tokengate.store.UserRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The real thing for full-stack tests: the sample Jira-like upstream and a tokengate server in
 * front of it, on free loopback ports, with a fresh home directory (embedded H2).
 */
public final class GatewayFixture implements AutoCloseable {
    public final DemoJira jira;
    public final TokengateServer server;
    public final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private GatewayFixture(DemoJira jira, TokengateServer server) {
        this.jira = jira;
        this.server = server;
    }

    public static GatewayFixture start(Path home) {
        return start(home, Map.of(), DemoJira.Options.defaults());
    }

    /** @param settings extra settings by key, overriding the fixture's */
    public static GatewayFixture start(Path home, Map<String, String> settings, DemoJira.Options upstream) {
        return start(home, settings, upstream, Clock.systemUTC());
    }

    /** @param clock the gateway's clock (token expiry, throttling windows, audit times) */
    public static GatewayFixture start(
            Path home, Map<String, String> settings, DemoJira.Options upstream, Clock clock) {
        DemoJira jira = DemoJira.start(upstream);
        try {
            Map<String, String> flags = new HashMap<>();
            flags.put("gateway.host", "127.0.0.1");
            flags.put("gateway.port", "0");
            flags.put("admin.port", "0");
            flags.put("upstream.url", jira.baseUri().toString());
            flags.put("audit.flush.interval.ms", "20");
            flags.put("node.id", "test-node");
            flags.putAll(settings);
            TokengateConfig config = ConfigLoader.load(home, Map.of(), flags, true);
            return new GatewayFixture(jira, TokengateServer.start(config, clock));
        } catch (RuntimeException e) {
            jira.close();
            throw e;
        }
    }

    public static DemoJira.Options headerUpstream() {
        return DemoJira.Options.defaults().identity(Identity.header("X-Forwarded-User"));
    }

    public CreatedToken createToken(TokenSpec spec) {
        return server.store().tokens().create(spec);
    }

    public URI url(String pathAndQuery) {
        return URI.create(server.dataUri() + pathAndQuery);
    }

    /** Creates a token and returns the Basic credentials that present it as {@code user}. */
    public String basic(String user, TokenSpec spec) {
        return basic(user, createToken(spec).secret().reveal());
    }

    public static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String pathAndQuery, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(pathAndQuery)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes on a fresh connection and returns everything the gateway answers. */
    public String raw(String request) throws IOException {
        return raw(server.dataUri(), request);
    }

    /** Sends raw bytes on a fresh connection to the admin plane and returns everything it answers. */
    public String rawAdmin(String request) throws IOException {
        return raw(server.adminUri(), request);
    }

    private static String raw(URI plane, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", plane.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Adds a local user to the store (no password); do it before any request names the user. */
    public void addUser(String name, String email, UserRole role) {
        server.store().users().add(new NewUser(name, email, null, role, null));
    }

    /**
     * The audit record of the request with this X-Request-Id, after flushing the audit queue; empty
     * when there is none (the record is written when the request completes, which may be just
     * after the client has its response: this waits up to 5 s for it).
     */
    public Optional<AuditEvent> audited(String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Optional<AuditEvent> event = auditEvents().stream()
                    .filter(e -> requestId.equals(e.requestId()))
                    .findFirst();
            if (event.isPresent() || System.nanoTime() > deadline) {
                return event;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
        }
    }

    /** The newest 1000 audit records, newest first, after flushing the audit queue. */
    public List<AuditEvent> auditEvents() {
        try {
            if (!server.store().audit().flush(Duration.ofSeconds(5))) {
                throw new IllegalStateException("the audit queue did not flush within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return server.store().auditLog().query(AuditQuery.all().withLimit(1000)).events();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            jira.close();
        }
    }
}
