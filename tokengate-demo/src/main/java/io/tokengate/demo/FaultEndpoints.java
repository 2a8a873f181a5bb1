package io.tokengate.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Upstream failures on demand, for the gateway's tests of its 502 and 504 answers. They exist
 * only with {@code faultEndpoints(true)}; a demo started for people never has them.
 *
 * <ul>
 *   <li>{@code /rest/demo/1.0/slow?ms=N}, any method: answers 200 after N ms (at most {@value
 *       #MAX_DELAY_MS}) from a scheduler, holding no thread while it waits;
 *   <li>{@code GET /rest/demo/1.0/reset}: resets the TCP connection without answering;
 *   <li>{@code GET /rest/demo/1.0/stall}: sends headers promising {@value #STALL_PROMISED} bytes and
 *       the first {@value #STALL_SENT}, then nothing until the client or the demo closes;
 *   <li>{@code GET /rest/demo/1.0/trickle?bytes=N&ms=M}: answers 200 without a length (chunked) and
 *       sends N bytes (at most {@value #MAX_TRICKLE_BYTES}) one at a time, the first at once and
 *       then one every M ms, each flushed on its own, then ends the body properly: an upstream
 *       that is never silent for long but takes (N - 1) &times; M ms for its response. It holds no
 *       thread between bytes;
 *   <li>{@code GET /rest/demo/1.0/status/{code}}: answers with that status (200 to 599);
 *   <li>{@code GET /rest/demo/1.0/header?bytes=N}: answers 200 with a header {@code X-Large} of N
 *       bytes (at most {@value #MAX_HEADER_BYTES}).
 * </ul>
 */
final class FaultEndpoints {
    static final long MAX_DELAY_MS = 600_000;
    static final int STALL_PROMISED = 1 << 20;
    static final int STALL_SENT = 1024;
    static final int MAX_HEADER_BYTES = 60_000;
    static final int MAX_TRICKLE_BYTES = 100_000;

    /** {@code /rest/demo/1.0/slow?ms=N}. */
    void slow(Exchange exchange) {
        long delay = bounded(exchange, "ms", 1000, 0, MAX_DELAY_MS);
        if (delay < 0) {
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        exchange.request().addIdleTimeoutListener(timeout -> false);
        Scheduler scheduler = exchange.request().getComponents().getScheduler();
        Scheduler.Task task = scheduler.schedule(
                () -> {
                    if (answered.compareAndSet(false, true)) {
                        ObjectNode body = JiraJson.MAPPER.createObjectNode().put("delayedMs", delay);
                        exchange.respond(200, body);
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
        exchange.request().addFailureListener(failure -> {
            if (answered.compareAndSet(false, true)) {
                task.cancel();
            }
        });
    }

    /**
     * {@code GET /rest/demo/1.0/reset}: closes the socket with SO_LINGER 0, so the client reads
     * a TCP reset, not a response.
     */
    void reset(Exchange exchange) throws IOException {
        EndPoint endPoint =
                exchange.request().getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint.getTransport() instanceof SocketChannel channel) {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        endPoint.close(new IOException("connection reset by the demo's fault endpoint"));
        exchange.callback().succeeded();
    }

    /** {@code GET /rest/demo/1.0/stall}. */
    void stall(Exchange exchange) {
        Response response = exchange.response();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, STALL_PROMISED);
        exchange.request().addIdleTimeoutListener(timeout -> false);
        ByteBuffer first = ByteBuffer.allocate(STALL_SENT);
        AttachmentContent.fill(first, 0, STALL_SENT);
        first.flip();
        // The exchange's callback stays pending: Jetty fails it when the connection closes.
        response.write(false, first, Callback.from(() -> {}, exchange.callback()::failed));
    }

    /** {@code GET /rest/demo/1.0/trickle?bytes=N&ms=M}. */
    void trickle(Exchange exchange) {
        long bytes = bounded(exchange, "bytes", 10, 1, MAX_TRICKLE_BYTES);
        if (bytes < 0) {
            return;
        }
        long interval = bounded(exchange, "ms", 100, 1, MAX_DELAY_MS);
        if (interval < 0) {
            return;
        }
        Response response = exchange.response();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        exchange.request().addIdleTimeoutListener(timeout -> false);
        Scheduler scheduler = exchange.request().getComponents().getScheduler();
        new Trickle(response, exchange.callback(), scheduler, (int) bytes, interval).send();
    }

    /**
     * Sends one byte, and when it is written, schedules the next; after the last, ends the body.
     * A failed write (the client went away) fails the exchange and sends nothing more.
     */
    private static final class Trickle implements Callback {
        private final Response response;
        private final Callback done;
        private final Scheduler scheduler;
        private final int total;
        private final long intervalMs;
        private int sent;

        Trickle(Response response, Callback done, Scheduler scheduler, int total, long intervalMs) {
            this.response = response;
            this.done = done;
            this.scheduler = scheduler;
            this.total = total;
            this.intervalMs = intervalMs;
        }

        void send() {
            ByteBuffer one = ByteBuffer.allocate(1);
            AttachmentContent.fill(one, sent, 1);
            one.flip();
            sent++;
            response.write(false, one, this);
        }

        @Override
        public void succeeded() {
            if (sent == total) {
                response.write(true, null, done);
            } else {
                scheduler.schedule(this::send, intervalMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void failed(Throwable failure) {
            done.failed(failure);
        }
    }

    /**
     * Query parameter {@code name} as a whole number from {@code min} (at least 0) to {@code max},
     * {@code fallback} when absent; -1 when it is not, after answering 400.
     */
    private static long bounded(Exchange exchange, String name, long fallback, long min, long max) {
        String text = exchange.query(name).orElse(Long.toString(fallback));
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            exchange.fail(400, name + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
            return -1;
        }
        return value;
    }

    /** {@code GET /rest/demo/1.0/header?bytes=N}. */
    void header(Exchange exchange) {
        int bytes = (int) bounded(exchange, "bytes", 1000, 1, MAX_HEADER_BYTES);
        if (bytes < 0) {
            return;
        }
        exchange.response().getHeaders().put("X-Large", "a".repeat(bytes));
        exchange.respond(200, JiraJson.MAPPER.createObjectNode().put("headerBytes", bytes));
    }

    /** {@code GET /rest/demo/1.0/status/{code}}. */
    void status(Exchange exchange) {
        int status;
        try {
            status = Integer.parseInt(exchange.segment(4));
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status < 200 || status > 599) {
            exchange.fail(400, "status must be from 200 to 599, not '" + exchange.segment(4) + "'");
            return;
        }
        if (status == 204 || status == 304) {
            exchange.response().setStatus(status);
            exchange.callback().succeeded();
        } else if (status >= 400) {
            exchange.fail(status, "Status " + status + " on request of the demo's fault endpoint.");
        } else {
            exchange.respond(status, JiraJson.MAPPER.createObjectNode().put("status", status));
        }
    }
}
