package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body for inspection without blocking a thread, keeping at most {@code max}
 * bytes, in a buffer the request's share of the {@link InspectionMemory} holds: a declared length
 * at once, before the first byte is read; a body of unknown length as its buffer grows. Exactly one of the
 * outcome's methods is called, once: the whole body, "too large" as soon as byte {@code max + 1}
 * arrives, "no room" when the share cannot grow (the rest is left unread in both), or the read
 * failure (malformed chunked framing, a client that went away, an idle timeout).
 */
final class InspectedBody implements Runnable {
    interface Outcome {
        void read(byte[] body);

        void tooLarge();

        void noRoom();

        void failed(Throwable failure);
    }

    private final Request request;
    private final int max;
    private final InspectionMemory.Hold hold;
    private final Outcome outcome;
    /** The body so far: {@code size} bytes; exactly the declared length, when there is one. */
    private byte[] body;

    private int size;

    private InspectedBody(Request request, int max, InspectionMemory.Hold hold, Outcome outcome) {
        this.request = request;
        this.max = max;
        this.hold = hold;
        this.outcome = outcome;
        long declared = request.getLength();
        this.body = new byte[declared > 0 && declared <= max ? (int) declared : 0];
    }

    /**
     * Grows the buffer of a body whose length was not declared to hold {@code needed} bytes, and
     * the request's share with it, by what the new buffer takes: false if the share cannot grow.
     */
    private boolean grow(long needed) {
        int capacity = (int) Math.min(max, Math.max(needed, Math.max(4096, 2L * body.length)));
        if (!hold.growTo(capacity)) {
            return false;
        }
        body = Arrays.copyOf(body, capacity);
        return true;
    }

    /** Reads the body of {@code request}, whose declared length, if any, is at most {@code max}. */
    static void read(Request request, int max, InspectionMemory.Hold hold, Outcome outcome) {
        if (!hold.growTo(Math.max(0, request.getLength()))) {
            outcome.noRoom();
            return;
        }
        new InspectedBody(request, max, hold, outcome).run();
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
            long after = size + (long) bytes.remaining();
            boolean fits = after <= max;
            boolean room = fits && (after <= body.length || grow(after));
            if (room) {
                int n = bytes.remaining();
                bytes.get(body, size, n);
                size += n;
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (!fits) {
                outcome.tooLarge();
                return;
            }
            if (!room) {
                outcome.noRoom();
                return;
            }
            if (last) {
                outcome.read(size == body.length ? body : Arrays.copyOf(body, size));
                return;
            }
        }
    }
}
