package io.tokengate.server.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;

/**
 * When a JSON restriction needs the request body, whether tokengate can read it exactly as the
 * upstream will: not compressed or otherwise encoded (every {@code Content-Encoding} value must be
 * {@code identity}: 415), declared in UTF-8 if a charset is declared at all (JSON between systems
 * is UTF-8, and a body read as UTF-8 here but as UTF-16 upstream would say something else: 415),
 * and not longer than {@code body.inspect.max} (413).
 */
final class BodyRules {
    private BodyRules() {}

    static Optional<RequestScreen.Refusal> refuseUninspectable(Request request, int max) {
        List<String> encodings = request.getHeaders().getCSV(HttpHeader.CONTENT_ENCODING, false);
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
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String charset = contentType == null ? null : MimeTypes.getCharsetFromContentType(contentType);
        if (charset != null && !isUtf8(charset)) {
            return Optional.of(new RequestScreen.Refusal(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                    "The token's restrictions inspect the request body as UTF-8 JSON; it declares charset " + charset
                            + ".",
                    "body in charset " + charset + " cannot be inspected"));
        }
        if (request.getLength() > max) {
            return Optional.of(tooLarge(max));
        }
        return Optional.empty();
    }

    static RequestScreen.Refusal tooLarge(int max) {
        return new RequestScreen.Refusal(
                HttpStatus.PAYLOAD_TOO_LARGE_413,
                "The token's restrictions inspect the request body, which may be at most " + max + " bytes.",
                "body larger than body.inspect.max (" + max + ")");
    }

    private static boolean isUtf8(String charset) {
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
