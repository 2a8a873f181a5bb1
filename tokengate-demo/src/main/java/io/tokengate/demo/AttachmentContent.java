package io.tokengate.demo;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The deterministic bytes of demo attachments: the byte at offset {@code i} is {@code i % 251}.
 * A prime period never lines up with buffer sizes, so a dropped, repeated or reordered chunk
 * changes the content. As an {@link InputStream}, it lets tests compare without holding a copy.
 */
final class AttachmentContent extends InputStream {
    static final int PERIOD = 251;

    private final long size;
    private long position;

    AttachmentContent(long size) {
        this.size = size;
    }

    /** Puts {@code count} content bytes starting at {@code offset} into {@code buffer}. */
    static void fill(ByteBuffer buffer, long offset, int count) {
        int value = (int) (offset % PERIOD);
        for (int i = 0; i < count; i++) {
            buffer.put((byte) value);
            if (++value == PERIOD) {
                value = 0;
            }
        }
    }

    @Override
    public int read() {
        if (position == size) {
            return -1;
        }
        return (int) (position++ % PERIOD);
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position == size) {
            return -1;
        }
        int count = (int) Math.min(length, size - position);
        fill(ByteBuffer.wrap(bytes, offset, count), position, count);
        position += count;
        return count;
    }

    @Override
    public long skip(long count) {
        long skipped = Math.max(0, Math.min(count, size - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }
}
