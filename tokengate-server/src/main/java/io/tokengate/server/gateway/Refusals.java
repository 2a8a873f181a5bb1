package io.tokengate.server.gateway;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.RequestIds;
import io.tokengate.server.http.RetryAfter;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * How the data plane says no, whichever check refused: the audit record first ({@link
 * Exchange#audit}, a deny with the precise reason), then the JSON error body ({@link
 * ErrorResponse}) with a message for the client that never carries more than the client should
 * learn. One place, so that every refusal is audited the same way and a refusal that comes after
 * the response was committed (the upstream had begun to answer) fails the exchange instead of
 * writing a second response.
 *
 * <p>Refusals for a state that passes (the store, the audit log or the worker pool not keeping
 * up, the memory for request bodies in use) carry {@code Retry-After} and are logged as a {@link
 * RefusalWarning}, at most one line per interval, however many requests the state turns away.
 */
final class Refusals {
    /** Logged under the handler's name: operators filter the data plane's log lines by it. */
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final String challenge;
    private final String unauthorizedMessage;
    private final String notServedMessage;
    private final RefusalWarning noWorker;
    private final RefusalWarning storeUnavailable;
    private final RefusalWarning auditQueueFull;
    private final RefusalWarning inspectionFull;
    private final RefusalWarning directoryUnavailable;

    Refusals(GatewayConfig config) {
        this.challenge =
                config.acceptBasic() ? "Basic realm=\"tokengate\", charset=\"UTF-8\"" : "Bearer realm=\"tokengate\"";
        this.unauthorizedMessage = "Missing or invalid credentials: use "
                + (config.acceptBasic() ? "Basic USER:TOKEN" : "Bearer TOKEN") + ".";
        this.notServedMessage = "Not found: tokengate serves " + String.join(", ", config.endpoints())
                + (config.excludedEndpoints().isEmpty()
                        ? ""
                        : " except " + String.join(", ", config.excludedEndpoints()));
        this.noWorker = new RefusalWarning(LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "no worker thread free");
        this.storeUnavailable = new RefusalWarning(LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "store unavailable");
        this.auditQueueFull = new RefusalWarning(LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "audit queue full");
        this.inspectionFull = new RefusalWarning(
                LOG, HttpStatus.SERVICE_UNAVAILABLE_503, "request bodies held for inspection at body.inspect.memory");
        this.directoryUnavailable = new RefusalWarning(LOG, HttpStatus.BAD_GATEWAY_502, "user lookup failed");
    }

    /**
     * Audits the request as denied for {@code reason} and answers {@code status} with {@code
     * message}; headers already set on the response stay.
     */
    void refuse(Exchange exchange, Response response, Callback callback, int status, String message, String reason) {
        exchange.audit(AuditDecision.DENY, status, reason);
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException(reason));
            return;
        }
        ErrorResponse.send(response, callback, status, message, exchange.requestId);
    }

    /** A refusal the screen or the body rules worded. */
    void refuse(Exchange exchange, Response response, Callback callback, RequestScreen.Refusal refusal) {
        refuse(exchange, response, callback, refusal.status(), refusal.message(), refusal.reason());
    }

    /** A refusal that passes: {@code Retry-After} tells the client when to try again. */
    void refuseForNow(
            Exchange exchange,
            Response response,
            Callback callback,
            int status,
            long retryAfterSeconds,
            String message,
            String reason) {
        RetryAfter.set(response, retryAfterSeconds);
        refuse(exchange, response, callback, status, message, reason);
    }

    /**
     * 401 with the challenge for the scheme the gateway accepts; one message for every reason
     * (missing, malformed, unknown, expired, revoked, another user's), which only the audit names.
     */
    void unauthorized(Exchange exchange, Response response, Callback callback, String reason) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, challenge);
        refuse(exchange, response, callback, HttpStatus.UNAUTHORIZED_401, unauthorizedMessage, reason);
    }

    /** 404 for a path outside {@code gateway.endpoints}: never forwarded, and says what is served. */
    void notServed(Exchange exchange, Response response, Callback callback) {
        refuse(exchange, response, callback, HttpStatus.NOT_FOUND_404, notServedMessage, "outside the endpoints");
    }

    /**
     * 503: the worker pool took no more work. Its queue has no bound, so that is, in practice, a
     * gateway that is stopping; the message says both, since the client cannot tell.
     */
    void noWorker(Exchange exchange, Response response, Callback callback, RejectedExecutionException e) {
        unavailable(
                exchange,
                response,
                callback,
                noWorker,
                e.toString(),
                "The gateway took no more work (it is stopping, or overloaded); try again shortly.");
    }

    /** 503: the store could not be asked; fail closed. */
    void storeUnavailable(Exchange exchange, Response response, Callback callback, String detail) {
        unavailable(
                exchange,
                response,
                callback,
                storeUnavailable,
                detail,
                "The token store is unavailable; try again shortly.");
    }

    /** 503: no room in the audit queue within the wait, so the request could not be recorded. */
    void auditQueueFull(Exchange exchange, Response response, Callback callback, String detail) {
        unavailable(
                exchange,
                response,
                callback,
                auditQueueFull,
                detail,
                "The audit log is not keeping up; try again shortly.");
    }

    /**
     * 503: the request's body must be read for its token's limits, and the bodies held for that,
     * all requests together, are at {@code body.inspect.memory} ({@link InspectionMemory}).
     */
    void inspectionFull(Exchange exchange, Response response, Callback callback, long held, long capacity) {
        unavailable(
                exchange,
                response,
                callback,
                inspectionFull,
                held + " of " + capacity + " bytes held",
                "The gateway is reading too many request bodies at once; try again shortly.");
    }

    /**
     * 429: the request's body must be read for its token's limits, and the bodies that token's
     * requests hold are at their share of {@code body.inspect.memory} ({@link InspectionMemory}).
     * The token's own doing, like its rate limit: audited, not logged.
     */
    void tokenAtInspectionShare(Exchange exchange, Response response, Callback callback) {
        refuseForNow(
                exchange,
                response,
                callback,
                HttpStatus.TOO_MANY_REQUESTS_429,
                RetryAfter.UNAVAILABLE_SECONDS,
                "This token's requests are sending too many request bodies at once; finish or end one, then"
                        + " try again.",
                "token's request bodies held for inspection at its share of body.inspect.memory");
    }

    /** 502: the user directory (Jira) could not be asked about the user, for now: with {@code Retry-After}. */
    void directoryUnavailable(Exchange exchange, Response response, Callback callback, String detail) {
        directoryUnavailable.refused(exchange.requestId, detail);
        refuseForNow(
                exchange,
                response,
                callback,
                HttpStatus.BAD_GATEWAY_502,
                RetryAfter.UNAVAILABLE_SECONDS,
                "Jira could not be asked about the user; try again shortly.",
                directoryUnavailable.condition() + ": " + detail);
    }

    /**
     * 500 for a failure nobody expected, logged with its cause under {@code logFormat} (the
     * request id its one argument); the client and the audit learn only the failure's kind.
     */
    void internalError(Exchange exchange, Response response, Callback callback, Throwable e, String logFormat) {
        RequestIds.log(LOG, Level.ERROR, exchange.requestId).setCause(e).log(logFormat, exchange.requestId);
        refuse(
                exchange,
                response,
                callback,
                HttpStatus.INTERNAL_SERVER_ERROR_500,
                "Internal error.",
                "internal error: " + e.getClass().getSimpleName());
    }

    /**
     * 503 for a state of the gateway's own that passes (no worker free, the store or the audit log
     * not keeping up, too many bodies held for inspection), with {@code Retry-After}: clients that
     * retry, such as {@code curl --retry}, wait a second instead of retrying at once. Logged as a {@link RefusalWarning}: a line per
     * refusal would flood the log for as long as the state lasts.
     */
    private void unavailable(
            Exchange exchange,
            Response response,
            Callback callback,
            RefusalWarning warning,
            String detail,
            String message) {
        warning.refused(exchange.requestId, detail);
        refuseForNow(
                exchange,
                response,
                callback,
                HttpStatus.SERVICE_UNAVAILABLE_503,
                RetryAfter.UNAVAILABLE_SECONDS,
                message,
                warning.condition());
    }
}
