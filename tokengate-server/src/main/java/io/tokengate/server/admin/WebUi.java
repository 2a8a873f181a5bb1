package io.tokengate.server.admin;

import io.tokengate.server.http.ErrorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web UI of DESIGN §7: one page, its script and its style sheet, served from the jar by the
 * admin plane. The script is a client of {@code /api/v1} like any other: it signs in with {@code
 * POST /session}, sends the session's CSRF token on every change, and builds the page from text
 * nodes only. The content security policy lets the page load nothing but these files and talk to
 * nothing but this origin, so that a value shown on it can never run as code.
 */
final class WebUi {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none';"
            + " frame-ancestors 'none'";

    private record Asset(byte[] bytes, String contentType) {}

    private final Map<String, Asset> assets = Map.of(
            "/", asset("index.html", "text/html;charset=utf-8"),
            "/ui/app.js", asset("app.js", "text/javascript;charset=utf-8"),
            "/ui/app.css", asset("app.css", "text/css;charset=utf-8"));

    /** Whether {@code path} is one of the UI's files. */
    boolean serves(String path) {
        return assets.containsKey(path);
    }

    /** Answers a GET or HEAD of one of the UI's files; 405 for any other method. */
    void send(Request request, Response response, Callback callback, String path, String requestId) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            ErrorResponse.send(
                    response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "The web UI is read with GET.", requestId);
            return;
        }
        Asset asset = assets.get(path);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.write(true, method.equals("HEAD") ? null : ByteBuffer.wrap(asset.bytes()), callback);
    }

    private static Asset asset(String name, String contentType) {
        try (InputStream in = WebUi.class.getResourceAsStream("/io/tokengate/server/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the web UI's " + name + " is missing from the jar");
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
