package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * The command line's client of the admin API ({@code /api/v1}), with Basic credentials. Error
 * answers become {@link ApiException}s carrying the API's message and field.
 */
final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(5);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The admin plane's URL as given, without a trailing slash. */
    private final String root;

    private final URI base;
    private final String authorization;
    private final HttpClient http;

    ApiClient(URI adminUrl, Optional<SSLContext> tls, String user, char[] password) {
        HttpClient.Builder http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        tls.ifPresent(http::sslContext);
        this.http = http.build();
        String url = adminUrl.toString();
        this.root = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.base = URI.create(root + "/api/v1");
        this.authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + new String(password)).getBytes(StandardCharsets.UTF_8));
    }

    /** An error answer of the API. */
    static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient JsonNode body;

        ApiException(int status, JsonNode body, String message) {
            super(message);
            this.status = status;
            this.body = body;
        }
    }

    JsonNode get(String path, Map<String, String> query) {
        return send("GET", path + query(query), null);
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    JsonNode patch(String path, JsonNode body) {
        return send("PATCH", path, body);
    }

    JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** Streams the body of a GET to {@code out}, for exports. */
    void download(String path, Map<String, String> query, OutputStream out) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = exchange("GET", path + query(query), null, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() >= 400) {
                throw error(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            in.transferTo(out);
        }
    }

    private JsonNode send(String method, String path, JsonNode body) {
        try {
            HttpResponse<String> response = exchange(method, path, body, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw error(response.statusCode(), response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private <T> HttpResponse<T> exchange(String method, String path, JsonNode body, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(ANSWER_TIMEOUT)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            return http.send(request.build(), handler);
        } catch (SSLHandshakeException e) {
            throw new ApiException(
                    0,
                    null,
                    "cannot reach the admin API at " + base + ": the TLS handshake failed (" + e.getMessage()
                            + "); for a certificate of your own or your CA's, name it with --cacert FILE");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private ApiException unreachable(IOException e) {
        String why = Unreachable.why(
                e,
                CONNECT_TIMEOUT,
                ANSWER_TIMEOUT,
                "if its certificate is not one the JVM trusts, name the certificate with --cacert FILE");
        return new ApiException(0, null, "cannot reach the admin API at " + base + ": " + why);
    }

    private ApiException error(int status, String text) {
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (IOException e) {
            body = null;
        }
        String message =
                body != null && body.hasNonNull("message") ? body.get("message").asText() : "HTTP " + status;
        if (status == 404 && !isAdminPlane()) {
            // The gateway's port given for the admin plane's: its 404 names what it serves, which
            // does not say that the command was sent to the wrong place.
            message += " (" + root + " is not tokengate's admin plane: --server takes the admin plane's URL,"
                    + " admin.port (8081 by default), not the gateway's)";
        }
        return new ApiException(status, body, message);
    }

    /**
     * Whether {@link #root} answers as tokengate's admin plane does, 200 on {@code /health/live};
     * asked without credentials. True when it cannot tell: nothing more is said then.
     */
    private boolean isAdminPlane() {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(root + "/health/live"))
                .timeout(CONNECT_TIMEOUT)
                .GET()
                .build();
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** {@code text} percent-encoded as one part of a URL's path (a space as {@code %20}, never {@code +}). */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(Map<String, String> query) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null) {
                joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }

    @Override
    public String toString() {
        return "ApiClient[" + base + "]";
    }
}
