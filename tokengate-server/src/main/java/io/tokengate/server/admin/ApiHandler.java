package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.Causes;
import io.tokengate.core.limits.LimitsSyntaxException;
import io.tokengate.core.token.InvalidTokenFieldsException;
import io.tokengate.core.token.InvalidTokenSpecException;
import io.tokengate.core.token.IpAllowList;
import io.tokengate.core.token.IpAllowListSyntaxException;
import io.tokengate.core.token.SecretScanner;
import io.tokengate.core.token.TokenStateException;
import io.tokengate.server.gateway.ClientAddress;
import io.tokengate.server.gateway.RefusalWarning;
import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.RequestIds;
import io.tokengate.server.http.RetryAfter;
import io.tokengate.server.users.IdentityUnavailableException;
import io.tokengate.server.users.InvalidUserException;
import io.tokengate.store.StoreConflictException;
import io.tokengate.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs one {@code /api/v1} request: route, authenticate, call the endpoint, and turn every failure
 * into the JSON error body of DESIGN §5 (with {@code field} and {@code problems} where they help),
 * writing the audit record of a refused action.
 */
final class ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /**
     * A database or Jira that is away fails every admin call while it lasts: a warning line now
     * and then, not a stack trace per call (each call is in the audit log anyway).
     */
    private final RefusalWarning dependencyAway =
            new RefusalWarning(LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "admin call refused");

    private final Router router;
    private final Authenticator authenticator;
    private final IpAllowList trustedProxies;

    ApiHandler(Router router, Authenticator authenticator, IpAllowList trustedProxies) {
        this.router = router;
        this.authenticator = authenticator;
        this.trustedProxies = trustedProxies;
    }

    void handle(Request request, Response response, Callback callback, String requestId) {
        ApiExchange ex =
                new ApiExchange(request, response, callback, requestId, ClientAddress.of(request, trustedProxies));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        try {
            Router.Match match = router.match(ex.method(), ex.path(), response);
            ex.pathParams(match.params());
            if (match.route().signIn()) {
                authenticator.authenticate(ex);
            }
            match.route().endpoint().handle(ex);
            ex.action().ifPresent(AdminAudit.Action::close);
        } catch (Throwable failure) {
            ApiError error = toError(failure);
            ex.action().ifPresent(action -> {
                action.deny(error.status(), error.getMessage());
            });
            send(ex, error, failure);
        }
    }

    /** The error response a failure makes; a failure that is not a request's fault is a 500. */
    static ApiError toError(Throwable failure) {
        if (failure instanceof ApiError api) {
            return api;
        }
        if (failure instanceof InvalidTokenFieldsException fields) {
            return ApiError.ofFields(
                    fields.problems().stream().map(ApiHandler::toError).toList());
        }
        if (failure instanceof LimitsSyntaxException limits) {
            return CheckResource.limitsError(limits, "limits");
        }
        if (failure instanceof IpAllowListSyntaxException ips) {
            return ApiError.badRequest("allowedIps", ips.getMessage());
        }
        if (failure instanceof InvalidTokenSpecException spec) {
            return new ApiError(400, spec.getMessage(), spec.field(), null);
        }
        if (failure instanceof InvalidUserException user) {
            return new ApiError(400, user.getMessage(), user.field(), null);
        }
        if (failure instanceof TokenStateException state) {
            return ApiError.conflict(state.getMessage()); // secure mode, or a revoked token
        }
        if (failure instanceof StoreConflictException conflict) {
            return ApiError.conflict(conflict.getMessage());
        }
        if (failure instanceof StoreUnavailableException) {
            return new ApiError(503, "The token store is unavailable; try again shortly.", null, null);
        }
        if (failure instanceof IdentityUnavailableException identity) {
            return new ApiError(503, "Cannot check credentials now: " + identity.getMessage(), null, null);
        }
        return new ApiError(500, "Internal error.", null, null);
    }

    private void send(ApiExchange ex, ApiError error, Throwable failure) {
        if (ex.response.isCommitted() && Causes.find(failure, IOException.class).isPresent()) {
            // A streamed answer (an export) the client stopped reading: nothing went wrong here.
            RequestIds.log(LOG, Level.INFO, ex.requestId).log(
                    "{}: {} {}: the client went away during the response ({})",
                    ex.requestId,
                    ex.method(),
                    ex.path(),
                    failure.toString());
            ex.callback.failed(failure);
            return;
        }
        if (failure instanceof StoreUnavailableException
                || failure instanceof IdentityUnavailableException
                || (failure instanceof ApiError && error.status() == HttpStatus.SERVICE_UNAVAILABLE_503)) {
            dependencyAway.refused(ex.requestId, ex.method() + " " + ex.path() + ": " + failure.getMessage());
        } else if (error.status() >= 500) {
            RequestIds.log(LOG, Level.ERROR, ex.requestId)
                    .setCause(failure)
                    .log("{}: {} {} failed", ex.requestId, ex.method(), ex.path());
        }
        Response response = ex.response;
        if (response.isCommitted()) {
            ex.callback.failed(failure);
            return;
        }
        ObjectNode body = Json.object();
        body.put("status", error.status());
        body.put("error", ErrorResponse.reasonPhrase(error.status()));
        body.put("message", error.getMessage());
        body.put("requestId", ex.requestId);
        if (error.field() != null) {
            body.put("field", error.field());
        }
        if (error.problems() != null) {
            body.set("problems", error.problems());
        }
        if (!error.fields().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (ApiError field : error.fields()) {
                ObjectNode item = errors.addObject().put("field", field.field()).put("message", field.reason());
                if (field.problems() != null) {
                    item.set("problems", field.problems());
                }
            }
        }
        // An error quotes what it refuses; a token secret pasted into the wrong field goes back as
        // its hint, whichever message quotes it.
        byte[] bytes = SecretScanner.redact(new String(Json.bytes(body), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(error.status());
        if (error.status() == HttpStatus.SERVICE_UNAVAILABLE_503) {
            // Every 503 here passes (a database, Jira, the audit queue, another node).
            RetryAfter.set(response, RetryAfter.UNAVAILABLE_SECONDS);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().remove("Content-Disposition");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), ex.callback);
    }
}
