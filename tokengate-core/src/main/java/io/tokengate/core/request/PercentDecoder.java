package io.tokengate.core.request;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict percent-decoding to UTF-8: every escape must be valid and the bytes must be UTF-8. */
final class PercentDecoder {
    private PercentDecoder() {}

    /** Decides which decoded bytes a context refuses, and says why. */
    interface BytePolicy {
        /** Why the byte, written as an escape, is refused; null when it is acceptable. */
        String refuseEscaped(int b);
    }

    static final BytePolicy ANY = b -> null;

    static String decode(String raw, int from, int to, boolean plusIsSpace, BytePolicy policy, String what) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            char c = raw.charAt(i);
            plain = c != '%' && !(plusIsSpace && c == '+') && c < 0x80;
        }
        if (plain) {
            return raw.substring(from, to);
        }
        ByteBuffer bytes = ByteBuffer.allocate((to - from) * 3);
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 1 < to ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < to ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new MalformedRequestException("invalid percent-encoding in " + what + " at '"
                            + Quote.shorten(raw.substring(i, Math.min(to, i + 3))) + "'");
                }
                int b = hi << 4 | lo;
                String refusal = policy.refuseEscaped(b);
                if (refusal != null) {
                    throw new MalformedRequestException(refusal + " in " + what);
                }
                bytes.put((byte) b);
                i += 2;
            } else if (plusIsSpace && c == '+') {
                bytes.put((byte) ' ');
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                // A character beyond the BMP is two chars: encode them together, or it reads as "??".
                int end = Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(raw.charAt(i + 1))
                        ? i + 2
                        : i + 1;
                if (Character.isSurrogate(c) && end == i + 1) {
                    throw new MalformedRequestException("invalid character in " + what);
                }
                bytes.put(StandardCharsets.UTF_8.encode(CharBuffer.wrap(raw, i, end)));
                i = end - 1;
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRequestException("invalid UTF-8 in " + what);
        }
    }
}
