package io.tokengate.server.gateway;

import io.tokengate.core.request.QueryString;
import io.tokengate.server.request.BodilessMethods;
import io.tokengate.server.request.MethodOverride;
import io.tokengate.server.request.RefusedMethods;
import io.tokengate.server.request.SignInParameters;
import io.tokengate.server.request.TargetSecrets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;

/**
 * The first look at a data-plane request, before its path or credentials: refuses what the
 * gateway never forwards and what two HTTP servers could read differently.
 *
 * <ul>
 *   <li>any method but those of Jira's REST API ({@link RefusedMethods}): 405; among them {@code
 *       CONNECT}, {@code TRACE}, {@code TRACK} (a tunnel, or an echo of the request that would
 *       show the client the upstream credential the gateway adds);
 *   <li>a request target with user information or a fragment: 400;
 *   <li>method-override headers ({@code X-HTTP-Method-Override}, {@code X-HTTP-Method}, {@code
 *       X-Method-Override}) and the query parameter {@code _method} (Jersey's {@code
 *       PostReplaceFilter} reads both; see {@link #screen(QueryString)}): 400, since restrictions
 *       judge the method on the request line; and
 *       URL-override headers ({@code X-Original-URL}, {@code X-Rewrite-URL}, {@code
 *       X-Override-URL}), which some servers route by instead of the request line's path: 400;
 *   <li>the client's own copy of the upstream identity header: 400, never silently replaced, so
 *       that an attempt to claim another identity is visible in the audit log; so too a header by
 *       which a Jira app runs a request as another user ({@code sudo}, {@code sudo-email}): with a
 *       service account, any token would run as anyone, and the audit log would name its user;
 *       and the headers and parameters the administrator names ({@link RefusedNames}), for the
 *       apps in Jira that read their own;
 *   <li>a header name spelled with {@code _} where a header the gateway controls has {@code -}
 *       ({@code Transfer_Encoding}, {@code X_Forwarded_User}): 400, because some servers read the
 *       two alike and would see framing or identity the gateway did not;
 *   <li>more than one {@code Authorization}, {@code contextUser} or {@code Content-Type}: 400;
 *   <li>{@code Transfer-Encoding} other than exactly {@code chunked}, or in an HTTP/1.0 request:
 *       400;
 *   <li>a body on a {@code GET} or {@code HEAD} (a {@code Content-Length} above 0, or any {@code
 *       Transfer-Encoding}): 400. It has no meaning (RFC 9110 9.3.1), Jira ignores it, and a
 *       server between the gateway and Jira that ignores it as well reads it as the next request on
 *       the gateway's pooled connection (a CL.0 desync): a request the gateway never decided on,
 *       whose head it never screened, answered to whoever sends the next one there.
 * </ul>
 *
 * Header names are compared case-insensitively with {@code _} read as {@code -} ({@link
 * UpstreamIdentity#normalize}). Jetty's parser has already refused the rest of the ambiguous
 * framing (Content-Length with Transfer-Encoding, repeated Content-Length, obs-fold, bare LF).
 */
final class RequestScreen {
    /** What the gateway does forward; {@link RefusedMethods} what it answers 405 to. */
    static final String ALLOW = RefusedMethods.ALLOW;

    private static final Set<String> METHOD_OVERRIDES =
            Set.of("x-http-method-override", "x-http-method", "x-method-override");

    private static final Set<String> URL_OVERRIDES = Set.of("x-original-url", "x-rewrite-url", "x-override-url");

    /**
     * Headers with which a Jira app runs a request as another user, when the user Jira authenticated
     * may (Sudo for Jira: a Jira administrator, which a service account that may use {@code
     * contextUser} usually is).
     */
    private static final Set<String> IMPERSONATIONS = Set.of("sudo", "sudo-email");

    /** Headers whose meaning the gateway controls, normalized; a look-alike with '_' is refused. */
    static final Set<String> CONTROLLED = Set.of(
            "host",
            "content-length",
            "transfer-encoding",
            "content-encoding",
            "content-type",
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "upgrade",
            "expect",
            "authorization",
            "proxy-authorization",
            "cookie",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-proto",
            "x-forwarded-host",
            "x-forwarded-port",
            "x-forwarded-prefix",
            "x-forwarded-server",
            "x-real-ip",
            "x-request-id");

    /** A header field name as HTTP spells it (RFC 9110's token). */
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Why a request is refused: status, message for the client, reason for the audit log. */
    record Refusal(int status, String message, String reason) {}

    private final UpstreamIdentity identity;
    private final RefusedNames refused;

    /** {@code refused}: what the administrator refuses besides. */
    RequestScreen(UpstreamIdentity identity, RefusedNames refused) {
        this.identity = identity;
        this.refused = refused;
    }

    /** Whether {@code name} can be a header field's name. */
    static boolean isFieldName(String name) {
        return FIELD_NAME.matcher(name).matches();
    }

    /** {@code method}: the request's, in upper case, as the exchange holds it. */
    Optional<Refusal> screen(Request request, String method) {
        if (RefusedMethods.refuses(method)) {
            return refuse(
                    HttpStatus.METHOD_NOT_ALLOWED_405,
                    "Method " + method + " is not supported by tokengate (use " + ALLOW + ").",
                    "method " + method + " is never forwarded");
        }
        HttpURI uri = request.getHttpURI();
        if (uri.getUser() != null) {
            return malformed("user information in the request target");
        }
        if (uri.getFragment() != null) {
            return malformed("fragment ('#') in the request target");
        }
        String target = uri.getPathQuery(); // a new string when there is a query: read once
        if (target != null && target.indexOf('\uFFFD') >= 0) {
            // Raw bytes that are not UTF-8 reach here replaced, so neither the rules nor the
            // upstream would see what the client sent; percent-encoded ones are refused later.
            return malformed("bytes that are not UTF-8 in the request target");
        }
        if (TargetSecrets.in(target)) {
            return refuse(
                    HttpStatus.BAD_REQUEST_400,
                    "A tokengate token in the URL is written to every access log it passes, Jira's included:"
                            + " send it only in the Authorization header, and rotate the one you sent.",
                    "token secret in the request URL");
        }
        Optional<Refusal> headers = screen(request.getHeaders());
        if (headers.isPresent()) {
            return headers;
        }
        Optional<Refusal> framing = transferEncoding(request);
        return framing.isPresent() ? framing : bodyWithoutMeaning(request, method);
    }

    /**
     * The look at the header fields alone: override headers, the identity header, look-alike names
     * and repeated fields (see the class comment). Shared with the dry runs.
     */
    Optional<Refusal> screen(HttpFields headers) {
        int authorizations = 0;
        int contextUsers = 0;
        int contentTypes = 0;
        for (HttpField field : headers) {
            String name = field.getName();
            String normalized = UpstreamIdentity.normalize(name);
            if (METHOD_OVERRIDES.contains(normalized)) {
                return refuse(
                        HttpStatus.BAD_REQUEST_400,
                        "Method-override headers are not accepted (" + name + ").",
                        "method override header " + name);
            }
            if (URL_OVERRIDES.contains(normalized)) {
                return refuse(
                        HttpStatus.BAD_REQUEST_400,
                        "URL-override headers are not accepted (" + name + ").",
                        "URL override header " + name);
            }
            if (IMPERSONATIONS.contains(normalized)) {
                return refuse(
                        HttpStatus.BAD_REQUEST_400,
                        "The " + name + " header asks Jira to run the request as another user; use contextUser,"
                                + " which tokengate checks against the token's user.",
                        "client sent the impersonation header " + name + ": " + field.getValue());
            }
            if (refused.refusesHeader(normalized)) {
                // The value is not recorded: the header may be an app's credential.
                return refuse(
                        HttpStatus.BAD_REQUEST_400,
                        "The " + name + " header is refused by this gateway (gateway.refused.headers).",
                        "header " + name + " refused by gateway.refused.headers");
            }
            if (identity.isReserved(normalized)) {
                return refuse(
                        HttpStatus.BAD_REQUEST_400,
                        "The " + name + " header names the user to the upstream; only tokengate sets it.",
                        "client sent the identity header " + name + ": " + field.getValue());
            }
            if (name.indexOf('_') >= 0 && CONTROLLED.contains(normalized)) {
                return malformed("header name '" + name + "' (some servers read it as " + normalized + ")");
            }
            if (field.getHeader() == HttpHeader.AUTHORIZATION) {
                authorizations++;
            }
            if (normalized.equals(UpstreamIdentity.CONTEXT_USER.toLowerCase(Locale.ROOT))) {
                contextUsers++;
            }
            if (field.getHeader() == HttpHeader.CONTENT_TYPE) {
                contentTypes++;
            }
        }
        if (authorizations > 1) {
            return malformed("more than one Authorization header");
        }
        if (contextUsers > 1) {
            return malformed("more than one contextUser header");
        }
        if (contentTypes > 1) {
            return malformed("more than one Content-Type header");
        }
        return Optional.empty();
    }

    /** A body on a method whose requests carry none; see the class comment. */
    private static Optional<Refusal> bodyWithoutMeaning(Request request, String method) {
        if (!BodilessMethods.takeNoBody(method)) {
            return Optional.empty();
        }
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (!chunked && length <= 0) {
            return Optional.empty();
        }
        String body = chunked ? "a chunked body" : "a body of " + length + " bytes";
        return refuse(
                HttpStatus.BAD_REQUEST_400,
                "Malformed request: " + BodilessMethods.why(method, body),
                "malformed: " + body + " on a " + method + " request (request smuggling risk)");
    }

    /**
     * The look at a request's parameters, once they are decoded: a {@code _method} parameter, in
     * any case, is refused as the method-override headers are; so are Jira's sign-in parameters
     * ({@link SignInParameters}), with which Jira would run the request as someone else.
     */
    Optional<Refusal> screen(QueryString query) {
        return screen(query.asMap().keySet(), "");
    }

    /**
     * {@link #screen(QueryString)} for parameters with these {@code names}; {@code where} they
     * are, when not in the query, for the messages (" in a form body").
     */
    Optional<Refusal> screen(Collection<String> names, String where) {
        return MethodOverride.parameterIn(names)
                .map(name -> new Refusal(
                        HttpStatus.BAD_REQUEST_400,
                        "Method-override parameters are not accepted" + where + " (" + name + ").",
                        "method override parameter " + name + where))
                .or(() -> SignInParameters.parameterIn(names)
                        .map(name -> new Refusal(
                                HttpStatus.BAD_REQUEST_400,
                                "Jira sign-in parameters are not accepted" + where + " (" + name
                                        + "): the token is the credential, and the request runs as its user.",
                                "Jira sign-in parameter " + name + where)))
                .or(() -> refused.parameterIn(names)
                        .map(name -> new Refusal(
                                HttpStatus.BAD_REQUEST_400,
                                "The parameter " + name + " is refused by this gateway" + where
                                        + " (gateway.refused.parameters).",
                                "parameter " + name + where + " refused by gateway.refused.parameters")));
    }

    private static Optional<Refusal> transferEncoding(Request request) {
        List<String> codings = request.getHeaders().getCSV(HttpHeader.TRANSFER_ENCODING, false);
        if (codings.isEmpty()) {
            return Optional.empty();
        }
        if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1) {
            return malformed("Transfer-Encoding in an HTTP/1.0 request");
        }
        if (codings.size() != 1 || !codings.get(0).strip().equalsIgnoreCase("chunked")) {
            return malformed("Transfer-Encoding '" + String.join(", ", codings) + "' (only chunked is accepted)");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> malformed(String what) {
        return refuse(HttpStatus.BAD_REQUEST_400, "Malformed request: " + what + ".", "malformed: " + what);
    }

    private static Optional<Refusal> refuse(int status, String message, String reason) {
        return Optional.of(new Refusal(status, message, reason));
    }
}
