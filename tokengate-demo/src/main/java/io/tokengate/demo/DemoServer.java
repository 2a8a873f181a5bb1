package io.tokengate.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty server under a {@link DemoJira}: one connector on 127.0.0.1, HTTP or HTTPS, that lets
 * through the targets Jetty would refuse as ambiguous, so that a test sees what a gateway forwarded.
 */
final class DemoServer {
    private final Server server;
    private final URI baseUri;

    private DemoServer(Server server, URI baseUri) {
        this.server = server;
        this.baseUri = baseUri;
    }

    /** Starts Jetty with {@code handler} answering and {@code refused} answering what Jetty cannot parse. */
    static DemoServer start(DemoJira.Options options, DemoHandler handler, RefusedRequestHandler refused) {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("demo-jira");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setUriCompliance(UriCompliance.UNSAFE);
        // room for the fault endpoint's large headers, which the gateway must refuse itself
        http.setMaxResponseHeaderSize(2 * FaultEndpoints.MAX_HEADER_BYTES);
        // Record header values in the case they arrived, not in that of Jetty's cached copy of a
        // common value ("charset=UTF-8" became "charset=utf-8"), as Jira's Tomcat keeps them.
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector connector;
        if (options.tls().isPresent()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(options.tls().get().keyStore());
            ssl.setKeyStorePassword(options.tls().get().password());
            connector = new ServerConnector(
                    server,
                    1,
                    1,
                    new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost("127.0.0.1");
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setErrorHandler(refused);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw new UncheckedIOException("cannot start the demo Jira on 127.0.0.1:" + options.port(), e);
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("cannot start the demo Jira on 127.0.0.1:" + options.port(), e);
        }
        URI base = URI.create((options.tls().isPresent() ? "https" : "http") + "://127.0.0.1:"
                + connector.getLocalPort()
                + options.contextPath());
        return new DemoServer(server, base);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing to start; the start failure is the one to report
        }
    }

    /** {@code http://127.0.0.1:PORT} and the context path, without a trailing slash. */
    URI baseUri() {
        return baseUri;
    }

    /** Stops the server, closing every connection, including stalled ones. */
    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the demo Jira at " + baseUri, e);
        }
    }
}
