package io.tokengate.server.gateway;

import io.tokengate.core.request.Quote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;

/**
 * When a JSON restriction needs the request body, whether tokengate can read it exactly as the
 * upstream will: not compressed or otherwise encoded (every {@code Content-Encoding} value must be
 * {@code identity}: 415), declared in UTF-8 wherever a charset is declared (JSON between systems is
 * UTF-8, and a body read as UTF-8 here but as UTF-16 upstream would say something else: 415),
 * and not longer than {@code body.inspect.max} (413).
 */
final class BodyRules {
    private BodyRules() {}

    /** For a body of {@code length} bytes (-1: sent in chunks) under {@code headers}. */
    static Optional<RequestScreen.Refusal> refuseUninspectable(HttpFields headers, long length, int max) {
        List<String> encodings = headers.getCSV(HttpHeader.CONTENT_ENCODING, false);
        for (String encoding : encodings) {
            if (!encoding.strip().equalsIgnoreCase("identity")) {
                String all = String.join(", ", encodings);
                return Optional.of(new RequestScreen.Refusal(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                        "The token's restrictions inspect the request body, which cannot be read with"
                                + " Content-Encoding " + all + ".",
                        "body with Content-Encoding " + all + " cannot be inspected"));
            }
        }
        for (String charset : declaredCharsets(headers)) {
            if (!isUtf8(charset)) {
                return Optional.of(new RequestScreen.Refusal(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                        "The token's restrictions inspect the request body as UTF-8 JSON; it declares charset "
                                + Quote.shorten(charset) + ".",
                        "body in charset " + Quote.shorten(charset) + " cannot be inspected"));
            }
        }
        if (length > max) {
            return Optional.of(tooLarge(max));
        }
        return Optional.empty();
    }

    /** Whether the request has a body: a declared length above 0, or one sent in chunks. */
    static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    static RequestScreen.Refusal tooLarge(int max) {
        return new RequestScreen.Refusal(
                HttpStatus.PAYLOAD_TOO_LARGE_413,
                "The token's restrictions inspect the request body, which may be at most " + max + " bytes.",
                "body larger than body.inspect.max (" + max + ")");
    }

    static RequestScreen.Refusal tooSlow(Duration timeout) {
        return new RequestScreen.Refusal(
                HttpStatus.REQUEST_TIMEOUT_408,
                "The token's restrictions inspect the request body, which must arrive within " + timeout.toMillis()
                        + " ms; it was still arriving.",
                "body still arriving after body.inspect.timeout.ms (" + timeout.toMillis() + ")");
    }

    /**
     * Every {@code charset} parameter of every {@code Content-Type} field, unquoted: a reader that
     * takes the last of two, or the second field, must find UTF-8 there too. A value that does not
     * split cleanly (a quoted {@code ;}) yields a charset that is not UTF-8, and so a refusal.
     */
    static List<String> declaredCharsets(HttpFields headers) {
        List<String> charsets = new ArrayList<>();
        for (String contentType : headers.getValuesList(HttpHeader.CONTENT_TYPE)) {
            String[] parts = contentType.split(";", -1);
            for (int i = 1; i < parts.length; i++) {
                int equals = parts[i].indexOf('=');
                String name = (equals < 0 ? parts[i] : parts[i].substring(0, equals)).strip();
                if (name.equalsIgnoreCase("charset")) {
                    charsets.add(unquoted(
                            equals < 0 ? "" : parts[i].substring(equals + 1).strip()));
                }
            }
        }
        return charsets;
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    static boolean isUtf8(String charset) {
        String name = charset.strip().toLowerCase(Locale.ROOT);
        return name.equals("utf-8") || name.equals("utf8");
    }

    /** A body read failure in words for the client: Jetty's reason for bad framing, else its kind. */
    static String describe(Throwable failure) {
        if (failure instanceof HttpException http && http.getReason() != null) {
            return http.getReason();
        }
        return failure.getClass().getSimpleName();
    }
}
