package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop behind a load balancer: new connections are refused at once (the balancer sends
 * them to another node, whatever the method), requests in flight finish, and a request that
 * arrives on a connection kept open from before is served, not refused, with {@code Connection:
 * close} so that the connection carries no more. nginx does not resend a refused {@code POST} to
 * another node once sent: a 503 there reached the client.
 */
class GracefulStopIT {
    private static final Pattern CONTENT_LENGTH =
            Pattern.compile("\r\ncontent-length:\\s*(\\d+)\r\n", Pattern.CASE_INSENSITIVE);
    private static final String BODY = "{\"fields\":{\"summary\":\"sent while the node stops\"}}";

    @TempDir
    Path home;

    @Test
    void aPostOnAKeptConnectionDuringTheStopIsForwardedAnsweredAndAudited() throws Exception {
        GatewayFixture gw =
                GatewayFixture.start(home, Map.of(), DemoJira.Options.defaults().faultEndpoints(true));
        DemoJira jira = gw.jira;
        CompletableFuture<Void> stopped = null;
        String requestId;
        try {
            String auth = gw.basic("admin", TokenSpec.bound("ci", "admin", "admin"));
            int port = gw.server.dataUri().getPort();
            try (Socket kept = new Socket("127.0.0.1", port)) {
                kept.setSoTimeout(15_000);
                RawResponse before = exchange(
                        kept, "GET /rest/api/2/myself HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth + "\r\n\r\n");
                assertThat(before.status()).isEqualTo(200);
                assertThat(before.header("Connection")).as("kept open").isEmpty();

                CompletableFuture<HttpResponse<String>> slow = gw.http.sendAsync(
                        java.net.http.HttpRequest.newBuilder(gw.url("/rest/demo/1.0/slow?ms=3000"))
                                .header("Authorization", auth)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                awaitReceived(jira, "/rest/demo/1.0/slow");
                // Used just before the stop: a stopping connector closes connections idle for a
                // second, and a connection nginx keeps busy is never idle that long.
                RawResponse justBefore = exchange(
                        kept, "GET /rest/api/2/myself HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth + "\r\n\r\n");
                assertThat(justBefore.status()).isEqualTo(200);
                // The client has the answer a moment before Jetty is done with it; a connection
                // whose answer is done after the stop began is closed then (keep-alive's race,
                // as at an idle timeout). Its audit record is written after that moment.
                assertThat(gw.audited(justBefore.header("X-Request-Id").orElseThrow()))
                        .isPresent();
                stopped = CompletableFuture.runAsync(gw.server::close);
                awaitRefused(port);

                RawResponse during = exchange(
                        kept,
                        "POST /rest/api/2/echo/during-stop HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                                + "\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY);
                assertThat(during.status()).as(during.body()).isEqualTo(200);
                assertThat(during.header("Connection")).contains("close");
                requestId = during.header("X-Request-Id").orElseThrow();
                assertThat(jira.received())
                        .filteredOn(r -> r.rawPath().equals("/rest/api/2/echo/during-stop"))
                        .extracting(ReceivedRequest::bodyText)
                        .containsExactly(BODY);
                assertThat(kept.getInputStream().read())
                        .as("the kept connection is closed after that answer")
                        .isEqualTo(-1);

                assertThat(slow.get(15, TimeUnit.SECONDS).statusCode())
                        .as("the request in flight when the stop began")
                        .isEqualTo(200);
                stopped.get(30, TimeUnit.SECONDS);
            }
            try (Store store = Store.open(
                    ConfigLoader.load(home, Map.of(), Map.of(), false).store(), Clock.systemUTC())) {
                List<AuditEvent> events =
                        store.auditLog().query(AuditQuery.all().withLimit(100)).events();
                assertThat(events)
                        .filteredOn(e -> requestId.equals(e.requestId()))
                        .extracting(AuditEvent::status)
                        .containsExactly(200);
            }
        } finally {
            if (stopped == null) {
                gw.close();
            } else {
                jira.close();
            }
        }
    }

    /** Waits until the data port refuses connections: the stop has begun. */
    private static void awaitRefused(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
            } catch (ConnectException refused) {
                return;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                .as("the data port still accepts connections 10 s into the stop")
                .isInstanceOf(ConnectException.class);
    }

    private static void awaitReceived(DemoJira jira, String path) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jira.received().stream().noneMatch(r -> r.rawPath().equals(path))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the upstream did not receive " + path + " within 10 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
        }
    }

    /** Sends one request on {@code socket} and reads exactly one response (Content-Length or chunked). */
    private static RawResponse exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + read);
            }
            read.write(b);
        }
        Matcher length = CONTENT_LENGTH.matcher(read.toString(StandardCharsets.ISO_8859_1));
        if (length.find()) {
            read.write(in.readNBytes(Integer.parseInt(length.group(1))));
        } else {
            while (!read.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed in a chunked body: " + read);
                }
                read.write(b);
            }
        }
        return RawResponse.parse(read.toString(StandardCharsets.ISO_8859_1));
    }
}
