package io.tokengate.server.gateway;

import io.tokengate.core.Causes;
import io.tokengate.server.http.NoAnswer;
import io.tokengate.server.http.RequestIds;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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
 * upstream identity, {@code X-Forwarded-For/-Proto/-Host} and {@code X-Request-Id}; no
 * Content-Type when the client sent none ({@link #withoutAddedContentType}). Responses are
 * streamed, never buffered; {@code Set-Cookie} from the upstream is dropped, since an upstream
 * session belongs to the gateway's identity, not to the client, and so are the headers the
 * upstream's {@code Connection} header names. Two timeouts bound an exchange:
 * the idle timeout, the longest silence, and the response timeout, the longest whole exchange,
 * however steadily its bytes come. What a failed exchange becomes is {@link UpstreamFailures}'.
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
    private final UpstreamFailures failures;

    UpstreamProxy(GatewayConfig config) {
        this.config = config;
        this.failures = new UpstreamFailures(config);
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
        if (BodyRules.hasBody(clientToProxy) && !clientToProxy.getHeaders().contains(HttpHeader.CONTENT_TYPE)) {
            proxyToServer.onRequestBegin(UpstreamProxy::withoutAddedContentType);
        }
        return proxyToServer;
    }

    /**
     * A body the client sent without a Content-Type goes upstream without one. Jetty's client adds
     * {@code application/octet-stream} to such a request when it prepares it to be sent, after the
     * headers were copied; Jira would then answer a request the client never made, one that
     * states a type, and a script that works against Jira directly could fail through the
     * gateway. Begin is the last moment the head can change; the client sent no Content-Type, so
     * the one there is Jetty's. Only requests with a body carry the listener.
     */
    private static void withoutAddedContentType(org.eclipse.jetty.client.Request proxyToServer) {
        proxyToServer.headers(headers -> headers.remove(HttpHeader.CONTENT_TYPE));
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
     * Jetty's listener, which copies the upstream's response head to the client without its
     * hop-by-hop headers, but keeps those the upstream's {@code Connection} header names: they
     * are meant for the gateway alone (RFC 9110 7.6.1), so they are dropped too, except the
     * gateway's own {@code X-Request-Id} and the framing Jetty sets itself. A {@code 101
     * Switching Protocols} is a bad response (502): the gateway never forwards {@code Upgrade}, and
     * passed on, it told the client its connection had switched protocols while the gateway went
     * on reading it as HTTP. A {@code 204} goes on without the {@code Content-Length} it should
     * not have.
     */
    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request clientToProxy,
            org.eclipse.jetty.client.Request proxyToServer,
            Response proxyToClient,
            Callback callback) {
        return new ProxyResponseListener(clientToProxy, proxyToServer, proxyToClient, callback) {
            @Override
            public void onBegin(org.eclipse.jetty.client.Response serverToProxy) {
                if (serverToProxy.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101) {
                    serverToProxy.abort(new HttpResponseException(
                            "Jira switched protocols (101) on a request that asked for no upgrade", serverToProxy));
                    return;
                }
                super.onBegin(serverToProxy);
            }

            @Override
            public void onHeaders(org.eclipse.jetty.client.Response serverToProxy) {
                super.onHeaders(serverToProxy);
                if (serverToProxy.getStatus() == HttpStatus.NO_CONTENT_204) {
                    // never has a body (RFC 9110 15.3.5); Jetty reads none, so a length it
                    // passed on would fail the answer as a 500 for a body that never comes
                    proxyToClient.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
                }
                for (String name : serverToProxy.getHeaders().getCSV(HttpHeader.CONNECTION, false)) {
                    String listed = name.strip();
                    if (!listed.equalsIgnoreCase(REQUEST_ID)
                            && !listed.equalsIgnoreCase(HttpHeader.CONTENT_LENGTH.asString())
                            && !listed.equalsIgnoreCase(HttpHeader.TRANSFER_ENCODING.asString())) {
                        proxyToClient.getHeaders().remove(listed);
                    }
                }
            }
        };
    }

    /**
     * Sends a {@code GET} or {@code HEAD} again, once, on another connection, when the connection
     * it went on ended before any of Jira's answer ({@link #worthResending}); else see {@link
     * UpstreamFailures#answer}.
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
        if (worthResending(exchange, clientToProxy, serverToProxy, proxyToClient, failure)) {
            exchange.resent = true;
            RequestIds.log(LOG, Level.DEBUG, exchange.requestId).log(
                    "{}: sent again: {}", exchange.requestId, UpstreamFailures.brief(failure));
            try {
                if (handle(clientToProxy, proxyToClient, callback)) {
                    return;
                }
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        failures.answer(exchange, proxyToClient, callback, failure);
    }

    /**
     * Whether a failed exchange is sent again: a {@code GET} or {@code HEAD} without a body, not
     * sent again before, whose connection ended (closed, or found closed when written to) before
     * a byte of Jira's answer came. A connection kept alive for the next request can be closed by
     * Jira just as the gateway sends on it (its keep-alive timeout passing; an error answer after
     * which it closes without saying {@code Connection: close}); the request then never reached
     * Jira, or reached it on its way out, and a request that changes nothing is safe to send again.
     * Other methods are not: Jira may have acted on one before the connection ended, so they get
     * 502 as before. Nor is any while the gateway stops: its stop closed the connection, and the
     * client it would go on is being stopped.
     */
    private static boolean worthResending(
            Exchange exchange,
            Request clientToProxy,
            org.eclipse.jetty.client.Response serverToProxy,
            Response proxyToClient,
            Throwable failure) {
        return !exchange.resent
                && (HttpMethod.GET.is(exchange.method) || HttpMethod.HEAD.is(exchange.method))
                // RequestScreen refuses a body on these methods; asked again because a body read
                // once could not be sent twice.
                && !BodyRules.hasBody(clientToProxy)
                && (serverToProxy == null || serverToProxy.getStatus() == 0)
                && !proxyToClient.isCommitted()
                && !UpstreamFailures.stopping(proxyToClient)
                && (NoAnswer.closed(failure)
                        || Causes.find(failure, ClosedChannelException.class).isPresent());
    }

    @Override
    public String toString() {
        return "UpstreamProxy[" + upstreamBase + ", " + config.identity() + "]";
    }
}
