package io.tokengate.server.gateway;

import io.tokengate.core.Causes;
import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.NoAnswer;
import io.tokengate.server.http.RequestIds;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What a forwarded exchange that failed becomes ({@link UpstreamProxy}'s failures): the client's
 * answer, the audit record's reason ({@link Exchange#failure}) and the log's line, in words an
 * admin reads rather than Jetty's.
 */
final class UpstreamFailures {
    /** The proxy's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);

    /**
     * Where a message starts dumping a Jetty object ({@code HttpConnectionOverHTTP@5a1b…{…}}),
     * with the package Jetty abbreviates in front ({@code oejcti.HttpConnectionOverHTTP@5a1b}).
     */
    private static final Pattern OBJECT_DUMP = Pattern.compile("(?:[a-z]+\\.)*[A-Za-z$]+@[0-9a-f]{4,}");

    /**
     * A failure in a few words for the audit record and the log: a connection Jira closed or
     * refused as the user lookups say it ({@link NoAnswer}); else its kind and its message, cut
     * where Jetty starts describing its connection objects (a thousand characters of them).
     */
    static String brief(Throwable failure) {
        if (NoAnswer.closed(failure)) {
            return NoAnswer.CLOSED;
        }
        if (NoAnswer.refused(failure)) {
            return NoAnswer.REFUSED;
        }
        return described(failure);
    }

    /**
     * {@link #brief}, for a failure while the response was being passed on, its head sent. When
     * writing to the client failed, the client hung up (Jetty reports that as an end of stream
     * too, and ends the upstream exchange with it): Jira is not to blame.
     */
    static String briefDuringResponse(Throwable failure, boolean clientGone) {
        if (clientGone) {
            return "the client closed the connection";
        }
        return NoAnswer.closed(failure) ? "Jira closed the connection before the response's end" : brief(failure);
    }

    private static String described(Throwable failure) {
        String kind = failure.getClass().getSimpleName();
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return kind;
        }
        Matcher dump = OBJECT_DUMP.matcher(message);
        String text = dump.find() ? message.substring(0, dump.start()).strip() : message.strip();
        if (text.length() > 200) {
            text = text.substring(0, 199);
        }
        if (text.length() < message.strip().length()) {
            text = text.isEmpty() ? "" : text + " …";
        }
        return text.isEmpty() ? kind : kind + ": " + text;
    }

    private final GatewayConfig config;
    private final RefusalWarning unreachable =
            new RefusalWarning(LOG, HttpStatus.BAD_GATEWAY_502, "upstream unreachable or bad response");
    private final RefusalWarning timedOut = new RefusalWarning(LOG, HttpStatus.GATEWAY_TIMEOUT_504, "upstream timeout");

    UpstreamFailures(GatewayConfig config) {
        this.config = config;
    }

    /**
     * The exchange failed before or while the response streamed: if reading the client's body
     * failed, that is the client's error (400), and so is a timeout while its body was still
     * arriving (408: a slow upload, which the response timeout counts too; the timeout reaches the
     * body's reading first or the exchange first, as it happens); otherwise the upstream
     * timed out (504) or could not be reached or broke the exchange (502). Once the response has begun, all that can be
     * done is to close the client's connection, which Jetty does when the callback fails: the
     * client sees the body end short (a chunked body without its last chunk), never complete.
     */
    void answer(Exchange exchange, Response proxyToClient, Callback callback, Throwable failure) {
        Throwable clientFailure = exchange.counts == null ? null : exchange.counts.requestFailure();
        Optional<String> overdue = overdue(exchange, failure);
        if (cutByStop(proxyToClient, failure)) {
            exchange.failure = CUT_BY_STOP;
            RequestIds.log(LOG, Level.INFO, exchange.requestId).log("{}: {}", exchange.requestId, CUT_BY_STOP);
            if (proxyToClient.isCommitted()) {
                callback.failed(failure);
            } else {
                proxyToClient.getHeaders().clear();
                proxyToClient.getHeaders().put(UpstreamProxy.REQUEST_ID, exchange.requestId);
                ErrorResponse.send(
                        proxyToClient,
                        callback,
                        HttpStatus.SERVICE_UNAVAILABLE_503,
                        "The gateway stopped before Jira answered; the request may have reached Jira.",
                        exchange.requestId);
            }
            return;
        }
        if (proxyToClient.isCommitted()) {
            String why = overdue.map(detail -> "upstream timeout: " + detail)
                    .orElseGet(() -> briefDuringResponse(
                            failure, exchange.counts != null && exchange.counts.responseFailure() != null));
            exchange.failure = "failed during the response: " + why;
            RequestIds.log(LOG, Level.INFO, exchange.requestId).log(
                    "{}: the response was cut short: {}", exchange.requestId, why);
            callback.failed(failure);
            return;
        }
        int status;
        String message;
        boolean uploadTimedOut = clientFailure != null
                ? isTimeout(clientFailure)
                : isTimeout(failure) && exchange.counts != null && exchange.counts.requestBodyPending();
        if (uploadTimedOut) {
            status = HttpStatus.REQUEST_TIMEOUT_408;
            String detail = overdue.orElseGet(() -> brief(failure));
            long received = exchange.counts.bytesIn();
            message = "The request body was still arriving when the upstream exchange timed out (" + detail + "; "
                    + received + " bytes of it received): the upstream cannot answer a request it has not"
                    + " received whole.";
            exchange.failure = "request body still arriving at the upstream timeout: " + detail + ", " + received
                    + " bytes received";
            RequestIds.log(LOG, Level.INFO, exchange.requestId).log(
                    "{}: {} ({})", exchange.requestId, exchange.failure, status);
        } else if (clientFailure != null) {
            status = HttpStatus.BAD_REQUEST_400;
            message = "The request body could not be read (" + BodyRules.describe(clientFailure) + ").";
            exchange.failure = "request body could not be read: " + BodyRules.describe(clientFailure);
            RequestIds.log(LOG, Level.INFO, exchange.requestId).log(
                    "{}: {} ({}): {}", exchange.requestId, exchange.failure, status, brief(failure));
        } else if (isTimeout(failure)) {
            status = HttpStatus.GATEWAY_TIMEOUT_504;
            message = "The upstream did not answer in time.";
            String detail = overdue.orElseGet(() -> brief(failure));
            exchange.failure = "upstream timeout: " + detail;
            timedOut.refused(exchange.requestId, detail);
        } else {
            status = HttpStatus.BAD_GATEWAY_502;
            message = "The upstream could not be reached or gave a bad response.";
            String detail = brief(failure);
            exchange.failure = "upstream failure: " + detail;
            unreachable.refused(exchange.requestId, detail);
        }
        proxyToClient.getHeaders().clear();
        proxyToClient.getHeaders().put(UpstreamProxy.REQUEST_ID, exchange.requestId);
        ErrorResponse.send(proxyToClient, callback, status, message, exchange.requestId);
    }

    /** Why an exchange the stop ended failed, for its audit record and the log. */
    static final String CUT_BY_STOP =
            "cut by the gateway's stop: still under way when it stopped waiting for requests in flight";

    /**
     * Whether the gateway's stop ended the exchange: the stop waits for requests in flight for a
     * while, then closes the upstream connections still open, which fails their exchanges as closed
     * channels. Before, such a request was audited, and logged, as Jira failing (502, {@code
     * AsynchronousCloseException}), and an administrator went looking at a Jira that was fine.
     */
    private static boolean cutByStop(Response proxyToClient, Throwable failure) {
        return stopping(proxyToClient)
                && Causes.find(failure, ClosedChannelException.class).isPresent();
    }

    /** Whether the gateway is stopping: no exchange is sent again then, on a client being stopped. */
    static boolean stopping(Response proxyToClient) {
        return proxyToClient
                .getRequest()
                .getConnectionMetaData()
                .getConnector()
                .getServer()
                .isStopping();
    }

    /**
     * "no complete response within N ms" when {@code failure} is the response timeout passing;
     * empty for any other failure, the idle timeout's included. Jetty tells its timeouts apart
     * only in the words of their messages, so the exchange's age does: the response timeout counts
     * from the request's sending, after {@link Exchange#upstreamStartNanos}, and the idle timeout
     * passing after it would have found the exchange already ended.
     */
    private Optional<String> overdue(Exchange exchange, Throwable failure) {
        long limit = config.responseTimeout().toNanos();
        if (limit == 0 || !isTimeout(failure) || System.nanoTime() - exchange.upstreamStartNanos < limit) {
            return Optional.empty();
        }
        return Optional.of(
                "no complete response within " + config.responseTimeout().toMillis() + " ms");
    }

    private static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException;
    }
}
