package io.tokengate.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.server.GatewayFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Calls the admin API of a running server over real HTTP, as one caller (Basic credentials, a
 * session cookie with its CSRF token, or nobody), and checks every response against openapi.yaml.
 */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayFixture gw;
    private final OpenApiContract contract;
    private final Map<String, String> headers;

    private AdminClient(GatewayFixture gw, OpenApiContract contract, Map<String, String> headers) {
        this.gw = gw;
        this.contract = contract;
        this.headers = Map.copyOf(headers);
    }

    static AdminClient anonymous(GatewayFixture gw, OpenApiContract contract) {
        return new AdminClient(gw, contract, Map.of());
    }

    static AdminClient basic(GatewayFixture gw, OpenApiContract contract, String user, String password) {
        return new AdminClient(gw, contract, Map.of("Authorization", GatewayFixture.basic(user, password)));
    }

    /** The same caller with one more header on every request. */
    AdminClient with(String header, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(header, value);
        return new AdminClient(gw, contract, more);
    }

    /** The same caller without {@code header}. */
    AdminClient without(String header) {
        Map<String, String> fewer = new LinkedHashMap<>(headers);
        fewer.remove(header);
        return new AdminClient(gw, contract, fewer);
    }

    /** Signs in with {@code POST /session}; the answer is a client using the cookie and CSRF token. */
    AdminClient signIn(String user, String password) {
        Reply reply = anonymous(gw, contract).post("/session", Map.of("user", user, "password", password));
        if (reply.status() != 200) {
            throw new AssertionError("sign-in as " + user + " failed: " + reply);
        }
        String cookie = reply.cookie(Sessions.COOKIE).orElseThrow();
        return new AdminClient(
                gw,
                contract,
                Map.of(
                        "Cookie",
                        Sessions.COOKIE + "=" + cookie,
                        Sessions.CSRF_HEADER,
                        reply.json().get("csrfToken").asText()));
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, Object body) {
        return send("POST", path, body);
    }

    Reply patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    /** @param body a JSON-serializable value, a raw JSON string, or null for no body */
    Reply send(String method, String path, Object body) {
        String text;
        try {
            text = body == null ? null : body instanceof String raw ? raw : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = gw.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String rawPath = URI.create("http://x/api/v1" + path).getRawPath();
        contract.check(
                method,
                rawPath,
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.body());
        return new Reply(response);
    }

    URI uri(String path) {
        return URI.create(gw.server.adminUri() + "/api/v1" + path);
    }

    /** One answer of the admin API. */
    record Reply(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }

        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        /** The value of the named cookie in {@code Set-Cookie}. */
        Optional<String> cookie(String name) {
            return setCookie(name)
                    .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')));
        }

        /** The whole {@code Set-Cookie} header of the named cookie. */
        Optional<String> setCookie(String name) {
            return response.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(name + "="))
                    .findFirst();
        }

        @Override
        public String toString() {
            return response.statusCode() + " " + response.body();
        }
    }
}
