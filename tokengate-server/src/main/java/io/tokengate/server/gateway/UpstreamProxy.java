package io.tokengate.server.gateway;

import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.NoAnswer;
import io.tokengate.server.http.RequestIds;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Forwards an allowed request to the upstream: the canonical path under the upstream's base URL,
 * the raw query unchanged, the client's headers minus its credentials, cookies, {@code
 * contextUser}, any copy of the identity header and any forwarding headers it made up, plus the
 * upstream identity, {@code X-Forwarded-For/-Proto/-Host} and {@code X-Request-Id}. Responses are
 * streamed, never buffered; {@code Set-Cookie} from the upstream is dropped, since an upstream
 * session belongs to the gateway's identity, not to the client. Two timeouts bound an exchange:
 * the idle timeout, the longest silence, and the response timeout, the longest whole exchange,
 * however steadily its bytes come.
 */
final class UpstreamProxy extends ProxyHandler {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);

    static final String EXCHANGE = UpstreamProxy.class.getName() + ".target";
    static final String REQUEST_ID = "X-Request-Id";

    /** Client headers never forwarded (normalized by {@link UpstreamIdentity#normalize}). */
    private static final Set<String> STRIPPED = Set.of(
            "authorization",
            "proxy-authorization",
            "cookie",
            "cookie2",
            "contextuser",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-proto",
            "x-forwarded-host",
            "x-forwarded-port",
            "x-forwarded-prefix",
            "x-forwarded-server",
            "x-real-ip",
            "x-request-id",
            "x-http-method-override",
            "x-http-method",
            "x-method-override",
            // Who the user is and where they are, as single-sign-on proxies and load balancers tell
            // their back ends: a Jira (or an app in it) reading one of these instead of the
            // configured identity header would believe the client.
            "remote-user",
            "x-remote-user",
            "x-auth-request-user",
            "x-auth-request-email",
            "x-forwarded-user",
            "x-forwarded-email",
            "x-forwarded-ssl",
            "front-end-https",
            "true-client-ip",
            "x-client-ip",
            "x-cluster-client-ip");

    /** What the gateway decided about a request, for the proxy to act on. */
    record Target(Exchange exchange, String userCredential) {}

    private final GatewayConfig config;
    private final String upstreamBase;
    private final String publicHost;
    private final String publicProto;
    private final RefusalWarning unreachable =
            new RefusalWarning(LOG, HttpStatus.BAD_GATEWAY_502, "upstream unreachable or bad response");
    private final RefusalWarning timedOut = new RefusalWarning(LOG, HttpStatus.GATEWAY_TIMEOUT_504, "upstream timeout");

    UpstreamProxy(GatewayConfig config) {
        this.config = config;
        String base = config.upstream().toString();
        this.upstreamBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        URI publicUrl = URI.create(config.publicUrl());
        this.publicHost =
                publicUrl.getPort() < 0 ? publicUrl.getHost() : publicUrl.getHost() + ":" + publicUrl.getPort();
        this.publicProto = publicUrl.getScheme();
        // The upstream is told the client-facing host in X-Forwarded-Host; its Host header names
        // the upstream itself, never what the client sent (host-header injection into links).
        setProxyToServerHost(config.upstream().getRawAuthority());
    }

    /**
     * An HTTP/1.1 client that runs on the server's own thread pool. Jetty's default gives the
     * proxy client a second pool of up to 200 threads; on a small machine both pools' threads
     * compete for the same cores and every hand-over between them is a context switch. The
     * upstream's responses are read and streamed to the client on the client's selector thread,
     * without a hand-over to a worker: nothing on that path waits (the audit record goes into a
     * queue whose room was reserved before forwarding, see {@link GatewayHandler}).
     */
    @Override
    protected HttpClient newHttpClient() {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        config.upstreamTrust().ifPresent(trust -> {
            SslContextFactory.Client ssl = new SslContextFactory.Client();
            ssl.setTrustStore(trust.trustStore());
            connector.setSslContextFactory(ssl);
        });
        if (getServer() != null) {
            connector.setExecutor(getServer().getThreadPool());
        }
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        transport.setInvocationType(InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        client.setName("tokengate-upstream");
        return client;
    }

    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setFollowRedirects(false);
        client.setConnectTimeout(config.connectTimeout().toMillis());
        client.setIdleTimeout(config.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(1024);
        client.setUserAgentField(null);
        // A request head the gateway took goes upstream as it came, with the headers the gateway
        // adds (X-Forwarded-*, the identity). Jetty's client allows 8 KiB by default: a longer
        // head failed here, as 502, instead of reaching Jira, which answers for its own limit.
        client.setMaxRequestHeadersSize(2 * GatewayConfig.MAX_REQUEST_HEAD);
        client.setMaxResponseHeadersSize(GatewayConfig.MAX_RESPONSE_HEAD);
    }

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

    /** {@link #brief}, for a failure while the response was being passed on, its head sent. */
    static String briefDuringResponse(Throwable failure) {
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

    private static Target target(Request request) {
        return (Target) request.getAttribute(EXCHANGE);
    }

    /** The canonical path the restrictions matched, re-encoded, under the upstream base; the raw query. */
    @Override
    protected HttpURI rewriteHttpURI(Request request) {
        Exchange exchange = target(request).exchange();
        String query = exchange.forwardQuery;
        return HttpURI.from(upstreamBase + exchange.forwardPath + (query == null ? "" : "?" + query));
    }

    /**
     * The upstream request with both timeouts. The idle timeout alone let an upstream (or a path to
     * it) that trickles a byte a second hold a connection for as long as it liked; Jetty's total
     * timeout ends the exchange, response body included, once the response timeout has passed
     * since it was sent.
     */
    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxy, HttpURI uri) {
        org.eclipse.jetty.client.Request proxyToServer = super.newProxyToServerRequest(clientToProxy, uri)
                .idleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!config.responseTimeout().isZero()) {
            proxyToServer.timeout(config.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        return proxyToServer;
    }

    /**
     * Jetty's copy ({@code Host} names the upstream; hop-by-hop headers and those that {@code
     * Connection} lists are dropped), then without {@link #STRIPPED} and the identity header.
     */
    @Override
    protected void copyRequestHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
        super.copyRequestHeaders(clientToProxy, proxyToServer);
        proxyToServer.headers(headers -> {
            for (HttpField field : headers.asImmutable()) {
                String name = UpstreamIdentity.normalize(field.getName());
                if (STRIPPED.contains(name) || config.identity().isReserved(name)) {
                    headers.remove(field.getName());
                }
            }
        });
    }

    @Override
    protected void addProxyHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
        Target target = target(clientToProxy);
        Exchange exchange = target.exchange();
        proxyToServer.headers(headers -> {
            headers.put("X-Forwarded-For", exchange.clientIp);
            headers.put("X-Forwarded-Proto", publicProto);
            headers.put("X-Forwarded-Host", publicHost);
            headers.put(REQUEST_ID, exchange.requestId);
            config.identity().apply(headers, exchange.effectiveUser, target.userCredential());
        });
    }

    @Override
    protected HttpField filterServerToProxyResponseField(HttpField field) {
        HttpHeader header = field.getHeader();
        if (header == HttpHeader.SET_COOKIE || header == HttpHeader.SET_COOKIE2) {
            return null;
        }
        if (field.is(REQUEST_ID)) {
            return null; // ours is already on the response
        }
        return super.filterServerToProxyResponseField(field);
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
    @Override
    protected void onServerToProxyResponseFailure(
            Request clientToProxy,
            org.eclipse.jetty.client.Request proxyToServer,
            org.eclipse.jetty.client.Response serverToProxy,
            Response proxyToClient,
            Callback callback,
            Throwable failure) {
        Exchange exchange = target(clientToProxy).exchange();
        Throwable clientFailure = exchange.counts == null ? null : exchange.counts.requestFailure();
        Optional<String> overdue = overdue(exchange, failure);
        if (proxyToClient.isCommitted()) {
            String why =
                    overdue.map(detail -> "upstream timeout: " + detail).orElseGet(() -> briefDuringResponse(failure));
            exchange.failure = "failed during the response: " + why;
            RequestIds.log(LOG, Level.INFO, exchange.requestId).log(
                    "{}: upstream failed during the response: {}", exchange.requestId, why);
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
        proxyToClient.getHeaders().put(REQUEST_ID, exchange.requestId);
        ErrorResponse.send(proxyToClient, callback, status, message, exchange.requestId);
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

    @Override
    public String toString() {
        return "UpstreamProxy[" + upstreamBase + ", " + config.identity() + "]";
    }
}
