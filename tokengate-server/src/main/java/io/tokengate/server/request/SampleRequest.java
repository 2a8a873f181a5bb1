package io.tokengate.server.request;

import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.core.request.QueryString;
import io.tokengate.server.gateway.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;

/**
 * A request described by a method, a full URL and an optional body, for dry runs ({@code
 * tokengate check}, {@code POST /api/v1/check}): it goes through the same canonicalization as a
 * real request, and its public URL is the URL's own scheme, host and port.
 */
public final class SampleRequest {
    private SampleRequest() {}

    /**
     * @param url the full request URL, e.g. {@code https://gw.example.com/rest/api/2/issue/X-1?a=b}
     * @param body the body, or null for none
     * @param jsonPaths the JSON paths the body is read for (see {@link JsonBody#parse})
     * @throws MalformedRequestException when the gateway would refuse the request as ambiguous
     * @throws BadSampleException when {@code method} is not an HTTP method or {@code url} not an
     *     absolute http(s) URL
     */
    public static GatewayRequestView of(String method, String url, byte[] body, Collection<JsonPath> jsonPaths) {
        return of(method, url, body, jsonPaths, false);
    }

    /**
     * {@link #of(String, String, byte[], Collection)}, refusing with {@link RefusedMethodException} a method
     * the gateway never forwards, where the gateway would: after the request target parses; and
     * before that, with {@link TargetTooLongException}, a request line longer than the gateway
     * reads. (A sample has no headers, which the gateway counts within the same limit: a request
     * line just under it may still be refused, with 431.)
     */
    public static GatewayRequestView screened(String method, String url, byte[] body, Collection<JsonPath> jsonPaths) {
        return of(method, url, body, jsonPaths, true);
    }

    private static GatewayRequestView of(
            String method, String url, byte[] body, Collection<JsonPath> jsonPaths, boolean screen) {
        if (!method.matches("[A-Za-z]+")) {
            throw new BadSampleException(BadSampleException.Part.METHOD, "invalid HTTP method '" + method + "'");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("https://") ? 8 : lower.startsWith("http://") ? 7 : -1;
        if (schemeEnd < 0) {
            throw new BadSampleException(
                    BadSampleException.Part.URL, "the URL must start with http:// or https://, got '" + url + "'");
        }
        int fragment = url.indexOf('#');
        String target = fragment < 0 ? url : url.substring(0, fragment);
        int pathStart = indexOfAny(target, "/?", schemeEnd);
        String origin = pathStart < 0 ? target : target.substring(0, pathStart);
        if (origin.length() == schemeEnd) {
            throw new BadSampleException(BadSampleException.Part.URL, "the URL has no host: '" + url + "'");
        }
        String rest = pathStart < 0 ? "/" : target.substring(pathStart);
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        if (screen) {
            // The gateway's HTTP parser stops at its head limit while still in the request line.
            int line = (method + " " + rest + " HTTP/1.1").getBytes(StandardCharsets.UTF_8).length;
            if (line > GatewayConfig.MAX_REQUEST_HEAD) {
                throw new TargetTooLongException("a request line of " + line + " bytes, longer than the "
                        + GatewayConfig.MAX_REQUEST_HEAD + " bytes of request head it reads");
            }
            if (RefusedMethods.refuses(method)) {
                if (RefusedMethods.unparsable(rawPath)) {
                    throw new MalformedRequestException("a request target the server cannot parse");
                }
                throw new RefusedMethodException(RefusedMethods.why(method));
            }
            if (body != null && body.length > 0 && BodilessMethods.takeNoBody(method)) {
                throw new MalformedRequestException(BodilessMethods.why(method, "a body of " + body.length + " bytes"));
            }
        }
        if (TargetSecrets.in(rest)) {
            // The gateway's look at the target, before its path: refused however malformed that is.
            throw new MalformedRequestException("a tokengate token in the URL is written to every access log it"
                    + " passes: send it only in the Authorization header, and rotate the one in this URL");
        }
        String rawQuery = q < 0 ? null : rest.substring(q + 1);
        CanonicalPath path = CanonicalPath.parse(rawPath.isEmpty() ? "/" : rawPath);
        QueryString query = QueryString.parse(rawQuery);
        // Read when a JSON condition first asks, as the gateway reads a body: limits that reach
        // none leave it unread.
        return new GatewayRequestView(
                method, origin, path, query, () -> body == null ? JsonBody.absent() : JsonBody.parse(body, jsonPaths));
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
