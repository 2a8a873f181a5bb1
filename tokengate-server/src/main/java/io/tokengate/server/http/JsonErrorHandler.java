package io.tokengate.server.http;

import java.util.Locale;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Jetty's error handler for both planes: the errors Jetty answers itself, before any tokengate
 * handler runs (a request its HTTP parser refuses: ambiguous framing, a request line or headers
 * too long, an unknown HTTP version; a {@code Host} the certificate does not name, plain HTTP to a
 * TLS port: {@link TlsRefusal}), get the same JSON body as every other tokengate error, with a
 * fresh request id, and are logged. Those of the data plane go to {@link Refused} too, which
 * audits the ones that present credentials: a request refused after its headers were read has
 * them, and one the parser refused part-way has those it read before the fault ({@link
 * CredentialKeepingHttpConnectionFactory}). Anything wrong with plain HTTP sent to a TLS port is
 * answered as that, and ends the connection ({@link PlainHttpOnTlsPort}).
 */
public final class JsonErrorHandler implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    /** Hears of a data-plane request Jetty refused before the gateway's handler saw it. */
    @FunctionalInterface
    public interface Refused {
        void refused(Request request, String requestId, int status, String reason);
    }

    private final String dataConnector;
    private final Refused refused;

    /** {@code refused} hears of the requests that came in on the connector named {@code dataConnector}. */
    public JsonErrorHandler(String dataConnector, Refused refused) {
        this.dataConnector = dataConnector;
        this.refused = refused;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String detail = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String text ? text : null;
        Object exception = request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        if (exception instanceof HttpException failure) {
            status = failure.getCode();
            detail = detail == null ? failure.getReason() : detail;
        }
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        String message = exception instanceof TlsRefusal refusal ? refusal.clientMessage() : message(status, detail);
        if (PlainHttpOnTlsPort.carried(request)) {
            // Whatever was wrong with it, the client is not speaking TLS to a TLS port: say so, and
            // end the connection rather than read more plain HTTP on it.
            if (!(exception instanceof TlsRefusal)) {
                status = HttpStatus.BAD_REQUEST_400;
                detail = PlainHttpOnTlsPort.REASON + (detail == null ? "" : " (" + detail + ")");
                message = PlainHttpOnTlsPort.UNREADABLE;
            }
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        if (request.getAttribute(RequestIds.ATTRIBUTE) instanceof String handled) {
            // A handler's request that failed before its response was committed: the handler has
            // logged and audited it under this id; Jetty only answers for it.
            response.getHeaders().put("X-Request-Id", handled);
            return answer(request, response, callback, status, message, handled);
        }
        String requestId = RequestIds.next();
        RequestIds.log(LOG, Level.INFO, requestId).log(
                "{}: refused before handling: {} {} from {}",
                requestId,
                status,
                detail == null ? HttpStatus.getMessage(status) : detail,
                Request.getRemoteAddr(request));
        response.getHeaders().put("X-Request-Id", requestId);
        if (dataConnector.equals(request.getConnectionMetaData().getConnector().getName())) {
            try {
                refused.refused(
                        request,
                        requestId,
                        status,
                        "refused before handling: " + (detail == null ? HttpStatus.getMessage(status) : detail));
            } catch (RuntimeException e) {
                RequestIds.log(LOG, Level.ERROR, requestId)
                        .setCause(e)
                        .log("{}: auditing a request refused before handling failed", requestId);
            }
        }
        return answer(request, response, callback, status, message, requestId);
    }

    private static boolean answer(
            Request request, Response response, Callback callback, int status, String message, String requestId) {
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod().toUpperCase(Locale.ROOT))) {
            response.setStatus(status);
            callback.succeeded();
            return true;
        }
        ErrorResponse.send(response, callback, status, message, requestId);
        return true;
    }

    /** What the client is told; Jetty's parser messages name the offending part, never a secret. */
    static String message(int status, String detail) {
        switch (status) {
            case HttpStatus.URI_TOO_LONG_414:
                return "The request target is too long.";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431:
                return "The request headers are too large.";
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505:
                return "Unsupported HTTP version" + (detail == null ? "" : " (" + detail + ")") + ".";
            default:
                if (status >= 500) {
                    return "Internal error.";
                }
                return "Malformed HTTP request" + (detail == null ? "" : ": " + detail) + ".";
        }
    }
}
