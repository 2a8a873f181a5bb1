package io.tokengate.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tokengate.core.token.SecretScanner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes the error body every tokengate error carries:
 * {@code {"status":403,"error":"Forbidden","message":"…","requestId":"…"}}. Messages are written
 * by tokengate, never copied from a secret or an Authorization header; one that quotes what the
 * client sent (a {@code contextUser}, a header) has any token secret in it reduced to its hint,
 * since error bodies end up in CI logs.
 */
public final class ErrorResponse {
    private ErrorResponse() {}

    /** The JSON body for an error. */
    public static String body(int status, String message, String requestId) {
        StringBuilder json =
                new StringBuilder(128).append("{\"status\":").append(status).append(",\"error\":\"");
        JsonStringEncoder.getInstance().quoteAsString(reasonPhrase(status), json);
        json.append("\",\"message\":\"");
        JsonStringEncoder.getInstance().quoteAsString(SecretScanner.redact(message), json);
        json.append("\",\"requestId\":\"");
        JsonStringEncoder.getInstance().quoteAsString(requestId == null ? "" : requestId, json);
        return json.append("\"}").toString();
    }

    /**
     * Sends the error and completes {@code callback}; headers already set on the response stay. What
     * has arrived of a request body is skipped first: see {@link UnreadBody}.
     */
    public static void send(Response response, Callback callback, int status, String message, String requestId) {
        UnreadBody.skip(response);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        byte[] bytes = body(status, message, requestId).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** The {@code error} member for {@code status}: its reason phrase, like {@code Not Found}. */
    public static String reasonPhrase(int status) {
        String phrase = HttpStatus.getMessage(status);
        return phrase == null ? "Error" : phrase;
    }
}
