package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.users.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One admin API request on its way through {@link ApiHandler}: the Jetty request and response, its
 * request id and client address, the path parameters of the matched route, the signed-in {@link
 * Principal}, and the audit record of the action it performs, if any.
 */
final class ApiExchange {
    /** Largest request body read; limits texts are at most 256 KiB. */
    static final int MAX_BODY = 1 << 20;

    final Request request;
    final Response response;
    final Callback callback;
    final String requestId;
    final String clientIp;
    private Map<String, String> pathParams = Map.of();
    private Principal principal;
    private String sessionCookie;
    private String confinedBecause;
    private AdminAudit.Action action;
    private Fields query;

    ApiExchange(Request request, Response response, Callback callback, String requestId, String clientIp) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.requestId = requestId;
        this.clientIp = clientIp;
    }

    String method() {
        return request.getMethod();
    }

    String path() {
        return Request.getPathInContext(request);
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = Map.copyOf(params);
    }

    String pathParam(String name) {
        return pathParams.get(name);
    }

    void principal(Principal principal, String sessionCookie) {
        this.principal = principal;
        this.sessionCookie = sessionCookie;
    }

    /** The signed-in user; only routes that need no sign-in see null. */
    Principal principal() {
        return principal;
    }

    /** Why the caller's session is confined to their account page ({@code Renewal#confined}). */
    void confinedBecause(String problem) {
        this.confinedBecause = problem;
    }

    /** Why the caller's session is confined to their account page; empty when it is not. */
    Optional<String> confinedBecause() {
        return Optional.ofNullable(confinedBecause);
    }

    /** The session cookie the request was authenticated with; empty for Basic. */
    Optional<String> sessionCookie() {
        return Optional.ofNullable(sessionCookie);
    }

    /** Refuses a non-admin with 403. */
    void requireAdmin(String what) {
        if (!principal.admin()) {
            throw ApiError.forbidden(null, what + " is for admins only; " + principal.name() + " is a user");
        }
    }

    void action(AdminAudit.Action action) {
        this.action = action;
    }

    /** The audit record this request has reserved and not yet written, if any. */
    Optional<AdminAudit.Action> action() {
        return Optional.ofNullable(action);
    }

    /** Refuses query parameters other than {@code known}, naming the first unknown one. */
    void allowQuery(String... known) {
        List<String> allowed = Arrays.asList(known);
        for (String name : query().getNames()) {
            if (!allowed.contains(name)) {
                throw ApiError.badRequest(
                        name,
                        "unknown query parameter"
                                + (known.length == 0
                                        ? " (none expected)"
                                        : " (expected " + String.join(", ", known) + ")"));
            }
        }
    }

    /** A query parameter that may appear at most once; blank counts as absent. */
    Optional<String> query(String name) {
        List<String> values = query().getValues(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiError.badRequest(name, "given " + values.size() + " times (at most once)");
        }
        String value = values.get(0).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** A whole-number query parameter in {@code [min, max]}. */
    Optional<Integer> intQuery(String name, int min, int max) {
        return query(name).map(text -> {
            BigInteger value;
            try {
                value = new BigInteger(text); // of any size: too big for an int is out of range, not "not a number"
            } catch (NumberFormatException e) {
                throw ApiError.badRequest(name, "'" + text + "' is not a whole number");
            }
            if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
                throw ApiError.badRequest(name, "must be from " + min + " to " + max + ", got " + value);
            }
            return value.intValue();
        });
    }

    private Fields query() {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw ApiError.badRequest(null, "the query string cannot be decoded");
            }
        }
        return query;
    }

    /**
     * The JSON object the request carries, with only {@code known} fields (400 otherwise). It
     * must say it is JSON: a browser sends a form or {@code text/plain} from any site without
     * asking first, {@code application/json} only from this one, so a body a page elsewhere could
     * send is never read as a change (415).
     */
    BodyFields body(Set<String> known) {
        byte[] body = bodyBytes();
        if (body.length > 0 && !isJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
            throw new ApiError(415, "Send the request body as JSON, with Content-Type: application/json.", null, null);
        }
        return new BodyFields(Json.parseObject(body), known);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters))
                .strip()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    byte[] bodyBytes() {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > MAX_BODY) {
            throw new ApiError(413, "The request body may be at most " + MAX_BODY + " bytes.", null, null);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new ApiError(413, "The request body may be at most " + MAX_BODY + " bytes.", null, null);
            }
            return body;
        } catch (IOException e) {
            throw ApiError.badRequest(null, "the request body could not be read");
        }
    }

    /** Answers {@code status} with a JSON body and completes the callback. */
    void send(int status, JsonNode body) {
        byte[] bytes = Json.bytes(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Answers 204 No Content. */
    void noContent() {
        response.setStatus(204);
        response.write(true, null, callback);
    }
}
