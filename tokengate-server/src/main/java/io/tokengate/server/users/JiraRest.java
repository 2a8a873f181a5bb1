package io.tokengate.server.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.server.http.NoAnswer;
import io.tokengate.server.http.TrustedCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * GET requests to Jira's REST API about users, for signing in ({@link JiraIdentity}) and for the
 * data plane's directory ({@link JiraUserDirectory}): JSON answers, no redirects, bounded in time.
 * Every failure to get an answer becomes the caller's exception, saying what it was for; no
 * message carries a header.
 */
final class JiraRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final String purpose;
    private final BiFunction<String, Throwable, RuntimeException> unavailable;
    private final HttpClient http;

    /**
     * @param upstream Jira's base URL, possibly with a context path
     * @param trust the certificates Jira's must chain to; empty for the JVM's
     * @param purpose what the answers are for, completing "cannot reach Jira at URL ...", e.g.
     *     {@code "to check credentials"}
     * @param unavailable the exception to throw, from a message and a cause (possibly null)
     */
    JiraRest(
            URI upstream,
            Optional<TrustedCertificates> trust,
            Duration connectTimeout,
            Duration timeout,
            String purpose,
            BiFunction<String, Throwable, RuntimeException> unavailable) {
        String text = upstream.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.purpose = purpose;
        this.unavailable = unavailable;
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        trust.ifPresent(t -> http.sslContext(t.sslContext()));
        this.http = http.build();
    }

    /** {@code GET base + path} with {@code headers}; any status. */
    HttpResponse<byte[]> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET();
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable.apply("cannot reach Jira at " + base + " " + purpose + ": " + why(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable.apply("interrupted while asking Jira " + purpose, e);
        }
    }

    /** Why no answer came, in words an admin reads in a 503's message and the audit log. */
    private String why(IOException failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "no connection within " + connectTimeout.toMillis() + " ms";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (NoAnswer.refused(failure)) {
            return NoAnswer.REFUSED;
        }
        if (NoAnswer.closed(failure)) {
            return NoAnswer.CLOSED;
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    /** The JSON of a 200 answer to {@code what}; anything else is the caller's exception. */
    JsonNode okJson(HttpResponse<byte[]> response, String what) {
        if (response.statusCode() != 200) {
            throw unavailable.apply(
                    "Jira answered " + response.statusCode() + " to " + what + "; cannot ask it " + purpose, null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw unavailable.apply("Jira's " + what + " answer is not JSON", e);
        }
    }

    @Override
    public String toString() {
        return base;
    }
}
