package io.tokengate.demo;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body asynchronously, without blocking a thread, keeping at most {@code limit}
 * bytes but counting and hashing all of them, so that uploads of any size can be recorded.
 */
final class BodyReader implements Runnable {
    /** What arrived: the kept bytes, the total count, its SHA-256, and why reading stopped early. */
    record Body(byte[] bytes, long length, String sha256, Throwable failure) {
        /** The body of a request that had none, or whose body nobody read. */
        static Body empty() {
            return new Body(new byte[0], 0, HexFormat.of().formatHex(newDigest().digest()), null);
        }
    }

    private final Request request;
    private final int limit;
    private final Consumer<Body> then;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final MessageDigest digest;
    private long length;

    private BodyReader(Request request, int limit, Consumer<Body> then) {
        this.request = request;
        this.limit = limit;
        this.then = then;
        this.digest = newDigest();
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Reads the body of {@code request}, then hands it to {@code then}, once. */
    static void read(Request request, int limit, Consumer<Body> then) {
        new BodyReader(request, limit, then).run();
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
                finish(chunk.getFailure());
                return;
            }
            consume(chunk.getByteBuffer());
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                finish(null);
                return;
            }
        }
    }

    private void consume(ByteBuffer buffer) {
        int size = buffer.remaining();
        digest.update(buffer.duplicate());
        int keep = (int) Math.min(size, Math.max(0, limit - length));
        if (keep > 0) {
            byte[] bytes = new byte[keep];
            buffer.duplicate().get(bytes);
            kept.write(bytes, 0, keep);
        }
        length += size;
    }

    private void finish(Throwable failure) {
        then.accept(new Body(kept.toByteArray(), length, HexFormat.of().formatHex(digest.digest()), failure));
    }
}
