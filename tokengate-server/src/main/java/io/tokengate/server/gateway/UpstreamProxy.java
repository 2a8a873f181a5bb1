package io.tokengate.server.gateway;

import io.tokengate.server.http.ErrorResponse;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards an allowed request to the upstream: the canonical path under the upstream's base URL,
 * the raw query unchanged, the client's headers minus its credentials, cookies, {@code
 * contextUser}, any copy of the identity header and any forwarding headers it made up, plus the
 * upstream identity, {@code X-Forwarded-For/-Proto/-Host} and {@code X-Request-Id}. Responses are
 * streamed, never buffered; {@code Set-Cookie} from the upstream is dropped, since an upstream
 * session belongs to the gateway's identity, not to the client.
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
            "x-method-override");

    /** What the gateway decided about a request, for the proxy to act on. */
    record Target(Exchange exchange, String userCredential) {}

    private final GatewayConfig config;
    private final String upstreamBase;
    private final String publicHost;
    private final String publicProto;

    UpstreamProxy(GatewayConfig config) {
        this.config = config;
        String base = config.upstream().toString();
        this.upstreamBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        URI publicUrl = URI.create(config.publicUrl());
        this.publicHost =
                publicUrl.getPort() < 0 ? publicUrl.getHost() : publicUrl.getHost() + ":" + publicUrl.getPort();
        this.publicProto = publicUrl.getScheme();
    }

    @Override
    protected HttpClient newHttpClient() {
        HttpClient client = super.newHttpClient();
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
    }

    private static Target target(Request request) {
        return (Target) request.getAttribute(EXCHANGE);
    }

    @Override
    protected HttpURI rewriteHttpURI(Request request) {
        Exchange exchange = target(request).exchange();
        String query = exchange.query;
        String path = io.tokengate.core.request.CanonicalPath.parse(
                        request.getHttpURI().getPath())
                .encoded();
        return HttpURI.from(upstreamBase + path + (query == null ? "" : "?" + query));
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxy, HttpURI uri) {
        return super.newProxyToServerRequest(clientToProxy, uri)
                .idleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

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
        if (field.getName().toLowerCase(Locale.ROOT).equals("x-request-id")) {
            return null; // ours is already on the response
        }
        return super.filterServerToProxyResponseField(field);
    }

    @Override
    protected void onServerToProxyResponseFailure(
            Request clientToProxy,
            org.eclipse.jetty.client.Request proxyToServer,
            org.eclipse.jetty.client.Response serverToProxy,
            Response proxyToClient,
            Callback callback,
            Throwable failure) {
        Exchange exchange = target(clientToProxy).exchange();
        if (proxyToClient.isCommitted()) {
            LOG.info("{}: upstream failed during the response: {}", exchange.requestId, failure.toString());
            callback.failed(failure);
            return;
        }
        boolean timeout = failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException;
        int status = timeout ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
        String message = timeout
                ? "The upstream did not answer in time."
                : "The upstream could not be reached or gave a bad response.";
        LOG.info("{}: upstream failure ({}): {}", exchange.requestId, status, failure.toString());
        proxyToClient.getHeaders().clear();
        proxyToClient.getHeaders().put(REQUEST_ID, exchange.requestId);
        ErrorResponse.send(proxyToClient, callback, status, message, exchange.requestId);
    }

    @Override
    public String toString() {
        return "UpstreamProxy[" + upstreamBase + ", " + config.identity() + "]";
    }
}
