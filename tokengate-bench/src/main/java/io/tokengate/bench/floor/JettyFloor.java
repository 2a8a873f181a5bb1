package io.tokengate.bench.floor;

import io.tokengate.server.http.ServerThreadPool;
import java.net.URI;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * Jetty's {@link ProxyHandler} arranged as tokengate's data plane is ({@code TokengateServer},
 * {@code UpstreamProxy}): the same thread pool, connector settings and upstream client, the
 * handler run on the selector thread, the responses streamed on the client's; and nothing else.
 */
final class JettyFloor {
    private JettyFloor() {}

    static void serve(int port, URI upstream, String authorization) throws Exception {
        Server server = new Server(new ServerThreadPool(400, 16, 60_000));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setHttpCompliance(HttpCompliance.STRICT);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);
        server.setHandler(new Proxy(upstream, authorization));
        server.start();
        server.join();
    }

    private static final class Proxy extends ProxyHandler {
        private final String upstreamBase;
        private final String authorization;

        Proxy(URI upstream, String authorization) {
            String base = upstream.toString();
            this.upstreamBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            this.authorization = authorization;
            setProxyToServerHost(upstream.getRawAuthority());
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!authorization.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                Response.writeError(request, response, callback, HttpStatus.UNAUTHORIZED_401);
                return true;
            }
            return super.handle(request, response, callback);
        }

        @Override
        protected HttpClient newHttpClient() {
            ClientConnector connector = new ClientConnector();
            connector.setSelectors(1);
            connector.setExecutor(getServer().getThreadPool());
            HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
            transport.setInvocationType(InvocationType.NON_BLOCKING);
            return new HttpClient(transport);
        }

        @Override
        protected void configureHttpClient(HttpClient client) {
            super.configureHttpClient(client);
            client.setFollowRedirects(false);
            client.setMaxConnectionsPerDestination(1024);
            client.setUserAgentField(null);
        }

        @Override
        protected HttpURI rewriteHttpURI(Request request) {
            HttpURI uri = request.getHttpURI();
            String query = uri.getQuery();
            return HttpURI.from(upstreamBase + uri.getPath() + (query == null ? "" : "?" + query));
        }

        @Override
        protected void copyRequestHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
            super.copyRequestHeaders(clientToProxy, proxyToServer);
            proxyToServer.headers(headers -> headers.remove(HttpHeader.AUTHORIZATION));
        }

        @Override
        protected void addProxyHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
            proxyToServer.headers(headers -> headers.put("X-Forwarded-For", Request.getRemoteAddr(clientToProxy)));
        }

        @Override
        protected HttpField filterServerToProxyResponseField(HttpField field) {
            return field.getHeader() == HttpHeader.SET_COOKIE ? null : super.filterServerToProxyResponseField(field);
        }
    }
}
