package io.tokengate.demo;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * {@code GET /rest/api/2/attachment/content/{id}?size=BYTES}: exactly BYTES of {@link
 * AttachmentContent} (default 1 MiB, at most 2 GiB) with a Content-Length, written one 64 KiB
 * chunk at a time, each after the previous one was sent, so that memory stays flat whatever the
 * size and a slow reader slows the writer down.
 */
final class AttachmentEndpoint implements Endpoint {
    static final long DEFAULT_SIZE = 1L << 20;
    static final long MAX_SIZE = 2L << 30;
    private static final int CHUNK = 64 * 1024;

    @Override
    public void handle(Exchange exchange) {
        long size;
        try {
            size = Long.parseLong(exchange.query("size").orElse(Long.toString(DEFAULT_SIZE)));
        } catch (NumberFormatException e) {
            exchange.fail(400, "size must be a whole number of bytes: " + e.getMessage());
            return;
        }
        if (size < 0 || size > MAX_SIZE) {
            exchange.fail(400, "size must be from 0 to " + MAX_SIZE + " bytes, not " + size);
            return;
        }
        Response response = exchange.response();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
        response.getHeaders()
                .put(
                        HttpHeader.CONTENT_DISPOSITION,
                        "attachment; filename=\"attachment-" + exchange.segment(5) + ".bin\"");
        new Writer(response, size, exchange.callback()).iterate();
    }

    /** Writes the content chunk by chunk, reusing one buffer: Jetty is done with it on success. */
    private static final class Writer extends IteratingCallback {
        private final Response response;
        private final long size;
        private final Callback callback;
        private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        private long written;
        private boolean lastWritten;

        Writer(Response response, long size, Callback callback) {
            this.response = response;
            this.size = size;
            this.callback = callback;
        }

        @Override
        protected Action process() {
            if (lastWritten) {
                return Action.SUCCEEDED;
            }
            int count = (int) Math.min(CHUNK, size - written);
            buffer.clear();
            AttachmentContent.fill(buffer, written, count);
            buffer.flip();
            written += count;
            lastWritten = written == size;
            response.write(lastWritten, buffer, this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            callback.failed(cause);
        }
    }
}
