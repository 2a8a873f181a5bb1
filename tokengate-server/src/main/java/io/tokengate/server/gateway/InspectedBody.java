package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body for inspection without blocking a thread, keeping at most {@code max}
 * bytes, in a buffer the request's share of the {@link InspectionMemory} holds: a declared length
 * at once, before the first byte is read; a body of unknown length as its buffer grows. Exactly one
 * of the outcome's methods is called, once: the whole body, "too large" as soon as byte {@code max
 * + 1} arrives, "no room" when the share cannot grow (and why), "too slow" when part of it
 * arrives after {@code timeout} from the first read (the rest is left unread in these three), or
 * the read failure (malformed chunked framing, a client that went away, an idle timeout).
 *
 * <p>The timeout bounds how long one request holds its share: without it, a client sending a byte
 * now and then, never silent long enough for the connector's idle timeout, would hold it for as
 * long as it liked. It is looked at as each part arrives, so no timer runs beside the reading: a
 * client silent past it is ended by the idle timeout instead.
 */
final class InspectedBody implements Runnable {
    interface Outcome {
        void read(byte[] body);

        void tooLarge();

        /** No room for the body: all requests' bodies are at the bound, or its token's at its share. */
        void noRoom(InspectionMemory.Growth refused);

        void tooSlow();

        void failed(Throwable failure);
    }

    private final Request request;
    private final int max;
    private final InspectionMemory.Hold hold;
    private final Outcome outcome;
    /** {@link System#nanoTime()} past which no more of the body is taken; 0 for none. */
    private final long deadline;
    /** The body so far: {@code size} bytes; exactly the declared length, when there is one. */
    private byte[] body;

    private int size;

    private InspectedBody(Request request, int max, Duration timeout, InspectionMemory.Hold hold, Outcome outcome) {
        this.request = request;
        this.max = max;
        this.deadline = timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
        this.hold = hold;
        this.outcome = outcome;
        long declared = request.getLength();
        this.body = new byte[declared > 0 && declared <= max ? (int) declared : 0];
    }

    /**
     * Grows the buffer of a body whose length was not declared to hold {@code needed} bytes, and
     * the request's share with it, by what the new buffer takes, if the share can grow.
     */
    private InspectionMemory.Growth grow(long needed) {
        int capacity = (int) Math.min(max, Math.max(needed, Math.max(4096, 2L * body.length)));
        InspectionMemory.Growth growth = hold.growTo(capacity);
        if (growth == InspectionMemory.Growth.GROWN) {
            body = Arrays.copyOf(body, capacity);
        }
        return growth;
    }

    /**
     * Reads the body of {@code request}, whose declared length, if any, is at most {@code max}, for
     * at most {@code timeout} (zero: no limit).
     */
    static void read(Request request, int max, Duration timeout, InspectionMemory.Hold hold, Outcome outcome) {
        InspectionMemory.Growth growth = hold.growTo(Math.max(0, request.getLength()));
        if (growth != InspectionMemory.Growth.GROWN) {
            outcome.noRoom(growth);
            return;
        }
        new InspectedBody(request, max, timeout, hold, outcome).run();
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
            if (deadline != 0 && System.nanoTime() - deadline > 0) {
                chunk.release();
                outcome.tooSlow();
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            long after = size + (long) bytes.remaining();
            boolean fits = after <= max;
            InspectionMemory.Growth growth =
                    !fits || after <= body.length ? InspectionMemory.Growth.GROWN : grow(after);
            if (fits && growth == InspectionMemory.Growth.GROWN) {
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
            if (growth != InspectionMemory.Growth.GROWN) {
                outcome.noRoom(growth);
                return;
            }
            if (last) {
                outcome.read(size == body.length ? body : Arrays.copyOf(body, size));
                return;
            }
        }
    }
}
