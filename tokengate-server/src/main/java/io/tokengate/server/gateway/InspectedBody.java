package io.tokengate.server.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body for inspection without blocking a thread, keeping at most {@code max}
 * bytes. Exactly one of the outcome's methods is called, once: the whole body, "too large" as soon
 * as byte {@code max + 1} arrives (the rest is left unread), or the read failure (malformed chunked
 * framing, a client that went away, an idle timeout).
 */
final class InspectedBody implements Runnable {
    interface Outcome {
        void read(byte[] body);

        void tooLarge();

        void failed(Throwable failure);
    }

    private final Request request;
    private final int max;
    private final Outcome outcome;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private InspectedBody(Request request, int max, Outcome outcome) {
        this.request = request;
        this.max = max;
        this.outcome = outcome;
    }

    static void read(Request request, int max, Outcome outcome) {
        new InspectedBody(request, max, outcome).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                outcome.failed(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean fits = body.size() + (long) bytes.remaining() <= max;
            if (fits) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.write(copy, 0, copy.length);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (!fits) {
                outcome.tooLarge();
                return;
            }
            if (last) {
                outcome.read(body.toByteArray());
                return;
            }
        }
    }
}
