package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request the gateway must hand to a worker thread when the server's thread pool takes no more
 * work (every thread busy, its bounded job queue full: Jetty's {@link QueuedThreadPool} then
 * rejects the hand-over) is answered 503 with {@code Retry-After}, and, having presented
 * credentials, is in the audit log like any other.
 */
class NoWorkerIT {
    private static final int THREADS = 8;
    private static final int QUEUE = 4;
    private static final Pattern CONTENT_LENGTH =
            Pattern.compile("\r\ncontent-length:\\s*(\\d+)\r\n", Pattern.CASE_INSENSITIVE);

    @TempDir
    Path home;

    @Test
    void aRequestWithCredentialsNoWorkerTakesIsAnswered503AndAudited() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(THREADS, THREADS, 60_000, new ArrayBlockingQueue<>(QUEUE));
        pool.setReservedThreads(0);
        CountDownLatch release = new CountDownLatch(1);
        Server server = new Server(pool);
        RawResponse named;
        RawResponse unnamed;
        try (LoneGateway gateway = LoneGateway.start(home, server, UserDirectory.empty())) {
            try {
                String used = gateway.basic(
                        "admin", TokenSpec.bound("in-use", "admin", "admin").withLimits("[get].*/rest/api/2/issue/.*"));
                String fresh = gateway.basic("bob", TokenSpec.bound("fresh", "bob", "admin"));
                // Opened before the pool is full: a new connection is set up on a pool thread.
                try (Socket kept = new Socket("127.0.0.1", gateway.port())) {
                    kept.setSoTimeout(10_000);
                    assertThat(get(kept, "/rest/api/2/myself", used, "").status())
                            .as("refused by its limits, once authenticated: the token is in the cache now")
                            .isEqualTo(403);

                    awaitReading(server);
                    saturate(pool, release);
                    // Run as another user, a request with a cached token still needs the user
                    // directory, so it is handed to a worker.
                    named = get(kept, "/rest/api/2/issue/AAA-1", used, "contextUser: bob\r\n");
                    unnamed = get(kept, "/rest/api/2/issue/AAA-1", fresh, "");
                }
            } finally {
                release.countDown();
            }

            for (RawResponse refused : List.of(named, unnamed)) {
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).contains("1");
                String requestId = refused.header("X-Request-Id").orElseThrow();
                assertThat(refused.body())
                        .isEqualTo("{\"status\":503,\"error\":\"Service Unavailable\",\"message\":\"The gateway took no"
                                + " more work (it is stopping, or overloaded); try again shortly.\",\"requestId\":\""
                                + requestId + "\"}");
            }
            AuditEvent namedEvent = gateway.audited(named.header("X-Request-Id").orElseThrow());
            assertThat(namedEvent.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(namedEvent.status()).isEqualTo(503);
            assertThat(namedEvent.reason()).isEqualTo("no worker thread free");
            assertThat(namedEvent.tokenName()).as("the cache knows the token").isEqualTo("in-use");
            assertThat(namedEvent.basicUser()).isEqualTo("admin");
            assertThat(namedEvent.path()).isEqualTo("/rest/api/2/issue/AAA-1");
            AuditEvent unnamedEvent =
                    gateway.audited(unnamed.header("X-Request-Id").orElseThrow());
            assertThat(unnamedEvent.status()).isEqualTo(503);
            assertThat(unnamedEvent.reason()).isEqualTo("no worker thread free");
            assertThat(unnamedEvent.tokenName())
                    .as("never authenticated: only the cache is asked")
                    .isNull();
            assertThat(unnamedEvent.basicUser()).isEqualTo("bob");
        }
    }

    /**
     * Waits until the server's one connection waits to read again. A worker decided the request
     * before, and the client may have the answer before Jetty is done with it: the thread that
     * completes the exchange can hand the connection back to the pool to read on. With the pool
     * saturated, that hand-over is refused (Jetty closes the connection) or queued behind the
     * waiting jobs, and the next request is never read.
     */
    private static void awaitReading(Server server) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!server.getConnectors()[0].getConnectedEndPoints().stream()
                .allMatch(e -> e.getConnection() instanceof AbstractConnection c && c.isFillInterested())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the connection does not wait to read within 10 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    /**
     * Has every thread of {@code pool} that Jetty does not hold for good (acceptor, selectors) run
     * a job that waits for {@code release}, and fills the job queue behind them: the pool rejects
     * whatever it is given next.
     */
    private static void saturate(QueuedThreadPool pool, CountDownLatch release) {
        AtomicInteger running = new AtomicInteger();
        Runnable waiting = () -> {
            running.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (running.get() < pool.getMaxThreads() - pool.getLeasedThreads() || pool.getQueueSize() < QUEUE) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the pool is not saturated within 10 s: " + running + " waiting jobs running, "
                        + pool.getLeasedThreads() + " threads leased, " + pool.getQueueSize() + " jobs queued");
            }
            try {
                pool.execute(waiting);
            } catch (RejectedExecutionException full) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // until a thread takes a queued job
            }
        }
    }

    /** One GET on {@code connection}, kept open; reads exactly its response (Content-Length). */
    private static RawResponse get(Socket connection, String path, String authorization, String headers)
            throws IOException {
        connection
                .getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + authorization + "\r\n" + headers
                                + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = connection.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: '" + read + "'");
            }
            read.write(b);
        }
        Matcher length = CONTENT_LENGTH.matcher(read.toString(StandardCharsets.ISO_8859_1));
        assertThat(length.find()).as("Content-Length in %s", read).isTrue();
        read.write(in.readNBytes(Integer.parseInt(length.group(1))));
        return RawResponse.parse(read.toString(StandardCharsets.ISO_8859_1));
    }
}
