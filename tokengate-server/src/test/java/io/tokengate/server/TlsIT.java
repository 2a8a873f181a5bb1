package io.tokengate.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.cli.Main;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.ConfigProblems;
import io.tokengate.server.config.EffectiveSetting;
import io.tokengate.server.config.Key;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.http.PlainHttpOnTlsPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code gateway.tls.keystore}: the data plane serves HTTPS itself, with the operator's
 * certificate, and a keystore it cannot use stops the configuration with a clear message.
 */
class TlsIT {
    private static final String PASSWORD = "keystore-password-1";

    @TempDir
    static Path keys;

    static Path valid;
    static Path renewed;
    static Path expired;
    static Path wildcard;

    @BeforeAll
    static void makeKeystores() throws Exception {
        valid = keytool("gateway.p12", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2");
        renewed = keytool("renewed.p12", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3");
        expired = keytool("expired.p12", "SAN=dns:localhost,ip:127.0.0.1", "-startdate", "-10d", "-validity", "1");
        wildcard = keytool("wildcard.p12", "SAN=dns:*.example.com", "-validity", "365");
    }

    private static Path keytool(String file, String names, String... validity) throws Exception {
        return TestCertificates.keytool(keys.resolve(file), PASSWORD, "gateway", "CN=localhost", names, validity);
    }

    private static Map<String, String> tls(Path home, Path keystore, String password) throws IOException {
        Files.createDirectories(home.resolve("tls"));
        Files.copy(keystore, home.resolve("tls/gateway.p12"));
        return Map.of("gateway.tls.keystore", "tls/gateway.p12", "gateway.tls.keystore.password", password);
    }

    /** TLS that trusts the test certificate only. */
    private static SSLContext trusting(Path keystore) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static HttpClient client(Path keystore) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(trusting(keystore))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void theDataPlaneServesHttpsWithTheConfiguredCertificate(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, tls(home, valid, PASSWORD), DemoJira.Options.defaults())) {
            URI uri = gw.url("/rest/api/2/issue/AAA-1");
            assertThat(uri.getScheme()).isEqualTo("https");
            String auth = gw.basic("alice", TokenSpec.bound("over tls", "alice", "admin"));

            HttpResponse<String> response = client(valid)
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .header("Authorization", auth)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            X509Certificate served =
                    (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(served.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            assertThat(gw.jira.received()).last().satisfies(r -> assertThat(r.header("X-Forwarded-Proto"))
                    .hasValue("https"));
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestartAndABrokenOneIsNot(@TempDir Path home) throws Exception {
        Map<String, String> settings = new HashMap<>(tls(home, valid, PASSWORD));
        settings.put("tls.check.seconds", "1");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, DemoJira.Options.defaults())) {
            int port = gw.server.dataUri().getPort();
            assertThat(served(port)).isEqualTo(certificate(valid));

            Path file = home.resolve("tls/gateway.p12");
            Files.write(file, Arrays.copyOf(Files.readAllBytes(renewed), 100)); // half written
            Thread.sleep(2500);
            assertThat(served(port))
                    .as("a keystore that cannot be read is not used")
                    .isEqualTo(certificate(valid));

            Files.copy(renewed, file, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!served(port).equals(certificate(renewed)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(served(port)).isEqualTo(certificate(renewed));
            String auth = gw.basic("alice", TokenSpec.bound("renewed", "alice", "admin"));
            assertThat(client(renewed)
                            .send(
                                    HttpRequest.newBuilder(gw.url("/rest/api/2/issue/AAA-1"))
                                            .header("Authorization", auth)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    private static X509Certificate certificate(Path keystore) throws Exception {
        return (X509Certificate)
                KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray()).getCertificate("gateway");
    }

    /** The certificate the data plane shows a new connection (trusting whatever it shows). */
    private static X509Certificate served(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AnyCertificate()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Trusts every server: only for looking at which certificate is served. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Test
    void theAdminPlaneServesHttpsWithItsOwnKeystore(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("tls"));
        Files.copy(renewed, home.resolve("tls/admin.p12"));
        Map<String, String> settings =
                Map.of("admin.tls.keystore", "tls/admin.p12", "admin.tls.keystore.password", PASSWORD);
        try (GatewayFixture gw = GatewayFixture.start(home, settings, DemoJira.Options.defaults())) {
            assertThat(gw.server.dataUri().getScheme())
                    .as("the data plane as configured")
                    .isEqualTo("http");
            URI admin = gw.server.adminUri();
            assertThat(admin.getScheme()).isEqualTo("https");
            HttpResponse<String> live = client(renewed)
                    .send(
                            HttpRequest.newBuilder(admin.resolve("/health/live"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(served(admin.getPort())).isEqualTo(certificate(renewed));
            assertThat(plain(
                            admin.getPort(),
                            "GET /api/v1/tokens HTTP/1.1\r\nHost: localhost:" + admin.getPort()
                                    + "\r\nAuthorization: Basic cm9vdDpzZWNyZXQ=\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("\r\nConnection: close\r\n")
                    .contains("\"message\":\"This port speaks HTTPS, not plain HTTP: use https://localhost:"
                            + admin.getPort() + "/api/v1/tokens. The credentials of this request crossed the"
                            + " network unencrypted: replace them (rotate the token, or change the password).\"");
        }
    }

    /**
     * An admin plane with its own TLS and no {@code admin.public.url}: the session cookie it sets
     * over https is Secure all the same, so a browser never sends it with a plain http request to
     * the same host (any port), where the network would read it.
     */
    @Test
    void theSessionCookieOfAnAdminPlaneOnTlsIsSecureWithoutAPublicUrl(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("tls"));
        Files.copy(renewed, home.resolve("tls/admin.p12"));
        Map<String, String> settings =
                Map.of("admin.tls.keystore", "tls/admin.p12", "admin.tls.keystore.password", PASSWORD);
        try (GatewayFixture gw = GatewayFixture.start(home, settings, DemoJira.Options.defaults())) {
            gw.server
                    .localUsers()
                    .add("root", null, null, io.tokengate.store.UserRole.ADMIN, "root-password".toCharArray());
            URI admin = gw.server.adminUri();
            HttpClient client = client(renewed);
            HttpResponse<String> signIn = client.send(
                    HttpRequest.newBuilder(admin.resolve("/api/v1/session"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"user\":\"root\",\"password\":\"root-password\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
            String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie)
                    .startsWith("tokengate_session=")
                    .contains("; Secure")
                    .contains("HttpOnly");
            String session = cookie.substring(0, cookie.indexOf(';'));
            String csrf =
                    new ObjectMapper().readTree(signIn.body()).get("csrfToken").asText();
            HttpResponse<String> signOut = client.send(
                    HttpRequest.newBuilder(admin.resolve("/api/v1/session"))
                            .header("Cookie", session)
                            .header("X-CSRF-Token", csrf)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signOut.statusCode()).as(signOut.body()).isEqualTo(204);
            assertThat(signOut.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith("tokengate_session=;")
                    .contains("; Secure");
        }
    }

    @Test
    void aHostTheCertificateDoesNotNameIsRefused(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, tls(home, valid, PASSWORD), DemoJira.Options.defaults())) {
            String auth = gw.basic("alice", TokenSpec.bound("fronted", "alice", "admin"));
            int port = gw.server.dataUri().getPort();
            String answer = overTls(port, "jira.example.com", auth);
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer)
                    .as("what is wrong and what to do, not Jetty's bare 'Invalid SNI'")
                    .contains("\"message\":\"The certificate of this port (gateway.tls.keystore) does not name"
                            + " jira.example.com, the host this request is for; it names localhost, 127.0.0.1. Send"
                            + " requests to a name it names, or have the certificate name jira.example.com (behind a"
                            + " load balancer that connects with TLS: have it send a Host header the certificate"
                            + " names).\"");
            assertThat(gw.jira.received()).isEmpty();
            Matcher id = Pattern.compile("(?im)^X-Request-Id: (\\S+)").matcher(answer);
            assertThat(id.find()).isTrue();
            assertThat(gw.audited(id.group(1)))
                    .as("refused by Jetty before the gateway's handler, and audited all the same")
                    .hasValueSatisfying(event -> {
                        assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
                        assertThat(event.status()).isEqualTo(400);
                        assertThat(event.basicUser()).isEqualTo("alice");
                        assertThat(event.reason())
                                .isEqualTo("refused before handling: the certificate (gateway.tls.keystore) does not"
                                        + " name jira.example.com");
                    });

            assertThat(overTls(port, "127.0.0.2:" + port, auth))
                    .as("an address the certificate does not name")
                    .startsWith("HTTP/1.1 400")
                    .contains("does not name 127.0.0.2, the host this request is for; it names localhost, 127.0.0.1.");
            assertThat(overTls(port, "127.0.0.1:" + port, auth))
                    .as("one it names")
                    .startsWith("HTTP/1.1 200");
            assertThat(overTls(port, "LOCALHOST", auth)).startsWith("HTTP/1.1 200");
        }
    }

    /** A request over TLS (verifying the certificate against 127.0.0.1) with the given {@code Host}. */
    private static String overTls(int port, String host, String authorization) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting(valid).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /rest/api/2/issue/AAA-1 HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: "
                                    + authorization + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void plainHttpToTheTlsPortIsAnsweredClearlyAuditedAndNeverForwarded(@TempDir Path home) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger detector = (Logger) LoggerFactory.getLogger(PlainHttpOnTlsPort.class);
        detector.addAppender(log);
        try (GatewayFixture gw = GatewayFixture.start(home, tls(home, valid, PASSWORD), DemoJira.Options.defaults())) {
            int port = gw.server.dataUri().getPort();
            String auth = gw.basic("alice", TokenSpec.bound("plain", "alice", "admin"));
            long started = System.nanoTime();

            String answer = plain(
                    port,
                    "GET /rest/api/2/issue/AAA-1?fields=summary HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nAuthorization: " + auth + "\r\n\r\n");

            assertThat(answer)
                    .as("a plain HTTP answer, and the connection closed after it")
                    .startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("\r\nConnection: close\r\n")
                    .containsIgnoringCase("\r\nContent-Type: application/json")
                    .doesNotContainIgnoringCase("\r\nLocation:");
            JsonNode body = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(body.path("status").asInt()).isEqualTo(400);
            assertThat(body.path("message").asText())
                    .isEqualTo("This port speaks HTTPS, not plain HTTP: use https://127.0.0.1:" + port
                            + "/rest/api/2/issue/AAA-1. The credentials of this request crossed the network"
                            + " unencrypted: replace them (rotate the token, or change the password).");
            assertThat(gw.jira.received()).isEmpty();
            assertThat(gw.audited(body.path("requestId").asText()))
                    .as("its credentials crossed the network: audited under them")
                    .hasValueSatisfying(event -> {
                        assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
                        assertThat(event.status()).isEqualTo(400);
                        assertThat(event.basicUser()).isEqualTo("alice");
                        assertThat(event.path()).isEqualTo("/rest/api/2/issue/AAA-1");
                        assertThat(event.reason()).isEqualTo("refused before handling: plain HTTP to the HTTPS port");
                    });

            assertThat(plain(port, "GET /rest/api/2/myself HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                    .as("a Host without a port: the port reached, not plain HTTP's 80")
                    .contains("\"message\":\"This port speaks HTTPS, not plain HTTP: use https://localhost:" + port
                            + "/rest/api/2/myself.\"");
            assertThat(plain(port, "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                    .as("no body for HEAD, and no word about credentials it did not send")
                    .startsWith("HTTP/1.1 400 ")
                    .endsWith("\r\n\r\n");
            assertThat(plain(port, "\u0001\u0002 not HTTP at all\r\n\r\n"))
                    .as("bytes that are neither TLS nor HTTP")
                    .startsWith("HTTP/1.1 400 ")
                    .contains("\"message\":\"This port speaks HTTPS, not plain HTTP: use an https:// URL.\"");

            HttpResponse<String> https = client(valid)
                    .send(
                            HttpRequest.newBuilder(gw.url("/rest/api/2/issue/AAA-1"))
                                    .header("Authorization", auth)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(https.statusCode()).as("HTTPS as before").isEqualTo(200);

            String again = plain(
                    port,
                    "GET /rest/api/2/issue/AAA-1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + auth
                            + "\r\n\r\n");
            String id = new ObjectMapper()
                    .readTree(again.substring(again.indexOf("\r\n\r\n") + 4))
                    .path("requestId")
                    .asText();
            assertThat(gw.audited(id))
                    .as("a token the node has in memory is named in the record")
                    .hasValueSatisfying(event -> assertThat(event.tokenName()).isEqualTo("plain"));

            List<ILoggingEvent> warnings = log.list.stream()
                    .filter(event -> event.getLevel() == Level.WARN)
                    .toList();
            assertThat(warnings)
                    .as("the operator is told, without credentials")
                    .isNotEmpty()
                    .allSatisfy(warning -> assertThat(warning.getFormattedMessage())
                            .startsWith("plain HTTP from /127.0.0.1:")
                            .contains("to the HTTPS port of the data plane: answered 400, use https://")
                            .doesNotContain("tgk_")
                            .doesNotContain(auth.substring("Basic ".length())));
            if (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10)) {
                assertThat(warnings).as("four connections, one warning in 10 s").hasSize(1);
            }
        } finally {
            detector.detachAppender(log);
        }
    }

    /**
     * Sends {@code request} as plain HTTP to {@code port} and reads until the server closes the
     * connection; without that close this fails on the read timeout.
     */
    private static String plain(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aKeystoreTheGatewayCannotUseStopsTheConfiguration(@TempDir Path home) throws Exception {
        assertThat(ConfigProblems.of(home, Map.of("gateway.tls.keystore", "missing.p12")))
                .singleElement()
                .asString()
                .isEqualTo("gateway.tls.keystore: " + home.resolve("missing.p12") + " is not a readable file");

        Path wrong = home.resolve("wrong");
        assertThat(ConfigProblems.of(wrong, tls(wrong, valid, "not-the-password")))
                .singleElement()
                .asString()
                .contains("cannot be opened with gateway.tls.keystore.password")
                .doesNotContain("not-the-password");

        Path unset = home.resolve("unset");
        assertThat(ConfigProblems.of(unset, tls(unset, valid, "")))
                .containsExactly("gateway.tls.keystore: " + unset.resolve("tls/gateway.p12")
                        + " needs a password: set gateway.tls.keystore.password");

        Path old = home.resolve("old");
        assertThat(ConfigProblems.of(old, tls(old, expired, PASSWORD)))
                .singleElement()
                .asString()
                .contains("holds no private key with a valid certificate; 'gateway' (expired ");

        Path notKeystore = home.resolve("text");
        Files.createDirectories(notKeystore);
        Files.writeString(notKeystore.resolve("gateway.p12"), "not a keystore");
        assertThat(ConfigProblems.of(notKeystore, Map.of("gateway.tls.keystore", "gateway.p12")))
                .singleElement()
                .asString()
                .endsWith("gateway.p12 is not a PKCS12 or JKS keystore");

        assertThat(ConfigProblems.of(home, Map.of("gateway.tls.keystore.password", PASSWORD)))
                .containsExactly("gateway.tls.keystore.password is set but gateway.tls.keystore is not");
    }

    @Test
    void theKeystorePasswordIsShownMasked(@TempDir Path home) throws Exception {
        Map<String, String> flags = new java.util.HashMap<>(tls(home, valid, PASSWORD));
        flags.put("upstream.url", "https://jira.example.com");
        TokengateConfig config = ConfigLoader.load(home, Map.of(), flags, true);
        assertThat(config.settings())
                .filteredOn(s -> s.key() == Key.GATEWAY_TLS_KEYSTORE_PASSWORD)
                .singleElement()
                .extracting(EffectiveSetting::shownValue)
                .isEqualTo(EffectiveSetting.MASK);
        assertThat(config.gatewayTls().orElseThrow().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void configCheckWarnsOfACertificateClientsWouldRefuseOrSoonWill(@TempDir Path home) throws Exception {
        Map<String, String> tls = tls(home, valid, PASSWORD);
        assertThat(warnings(home, tls, "https://gateway.example.com"))
                .containsExactly(
                        "the certificate in gateway.tls.keystore does not name gateway.example.com (it names"
                                + " localhost, 127.0.0.1): clients will refuse it, and requests naming that host get"
                                + " 400",
                        expiryWarning(valid));
        assertThat(warnings(home, tls, "http://localhost:8080"))
                .containsExactly(
                        "gateway.tls.keystore is set but gateway.public.url is http://localhost:8080: restrictions"
                                + " match the URLs clients use, so make it https://…",
                        expiryWarning(valid));
        assertThat(warnings(home, tls, "https://localhost:8443")).containsExactly(expiryWarning(valid));
        assertThat(warnings(home, tls, null))
                .as("without a public URL")
                .containsExactly(
                        "gateway.public.url is not set: restrictions will match https://localhost:8080/…; set it to"
                                + " the URL clients use",
                        expiryWarning(valid));
        Map<String, String> admin = Map.of(
                "admin.tls.keystore", "tls/gateway.p12",
                "admin.tls.keystore.password", PASSWORD,
                "admin.public.url", "https://admin.example.com");
        assertThat(warnings(home, admin, "http://localhost:8080"))
                .containsExactly(
                        "the certificate in admin.tls.keystore does not name admin.example.com (it names"
                                + " localhost, 127.0.0.1): clients will refuse it, and requests naming that host get"
                                + " 400",
                        expiryWarning(valid).replace("gateway.tls", "admin.tls"));

        Path other = home.resolve("wildcard");
        Map<String, String> wild = tls(other, wildcard, PASSWORD);
        assertThat(warnings(other, wild, "https://gw.example.com")).isEmpty();
        assertThat(warnings(other, wild, "https://a.gw.example.com"))
                .singleElement()
                .asString()
                .contains("does not name a.gw.example.com (it names *.example.com)");
        assertThat(warnings(other, wild, "https://example.com")).hasSize(1);
    }

    private static String expiryWarning(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
        X509Certificate certificate = (X509Certificate) store.getCertificate("gateway");
        return "the certificate in gateway.tls.keystore expires "
                + certificate.getNotAfter().toInstant() + ": renew it (the new one is served without a restart)";
    }

    /** What {@code config check --offline} warns of, with the given TLS settings and public URL (or none). */
    private static List<String> warnings(Path home, Map<String, String> tls, String publicUrl) throws Exception {
        StringBuilder properties = new StringBuilder("upstream.url=http://127.0.0.1:9\n");
        if (publicUrl != null) {
            properties.append("gateway.public.url=").append(publicUrl).append('\n');
        }
        tls.forEach(
                (key, value) -> properties.append(key).append('=').append(value).append('\n'));
        Files.writeString(home.resolve("tokengate.properties"), properties);
        Files.setPosixFilePermissions(
                home.resolve("tokengate.properties"), PosixFilePermissions.fromString("rw-------"));
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(new StringWriter()));
        assertThat(commandLine.execute("config", "check", "--offline", "--json", "--home", home.toString()))
                .as(out.toString())
                .isZero();
        List<String> warnings = new ArrayList<>();
        new ObjectMapper().readTree(out.toString()).path("warnings").forEach(w -> warnings.add(w.asText()));
        warnings.removeIf(w -> w.startsWith("key file "));
        return warnings;
    }
}
