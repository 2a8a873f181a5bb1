package io.tokengate.server;

import io.tokengate.core.TokengateException;
import io.tokengate.server.config.TlsKeystore;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.http.CertificateHostCheck;
import io.tokengate.server.http.CredentialKeepingHttpConnectionFactory;
import io.tokengate.server.http.KeystoreReloader;
import io.tokengate.server.http.PlainHttpOnTlsPort;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The two planes' connectors: how each speaks HTTP, its TLS, binding its port, its URL. */
final class Connectors {
    private Connectors() {}

    /**
     * A connector speaking HTTP/1.1, over TLS when given: Jetty's defaults for protocols and cipher
     * suites (TLS 1.2 and 1.3, no weak suites); a request whose {@code Host} the certificate does
     * not name is refused (400, {@link CertificateHostCheck}), and so is plain HTTP sent to the port
     * ({@link PlainHttpOnTlsPort}). Both planes' connections keep a request's credentials (the data
     * plane audits a request Jetty's parser refuses under them): one connection class for both keeps
     * the parser's calls into it as the JIT compiled them for one.
     */
    static ServerConnector connector(
            Server server, String name, String host, int port, boolean dataPlane, Optional<Tls> tls, String plane) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(GatewayConfig.MAX_REQUEST_HEAD);
        if (dataPlane) {
            // Let every path through to CanonicalPath, which refuses ambiguity itself, with a
            // JSON error and an audit record, rather than Jetty's own 400 page.
            http.setUriCompliance(UriCompliance.UNSAFE);
            // No leniency in framing: a bare LF as line end is how requests get smuggled past a
            // front end that reads lines differently.
            http.setHttpCompliance(HttpCompliance.STRICT);
            http.setMaxResponseHeaderSize(2 * GatewayConfig.MAX_RESPONSE_HEAD);
            // Header values go upstream in the client's case: a case-insensitive cache hands on
            // its own copy of a common value ("charset=UTF-8" became "charset=utf-8").
            http.setHeaderCacheCaseSensitive(true);
        }
        ServerConnector connector;
        if (tls.isPresent()) {
            PlainHttpOnTlsPort plainOrTls = new PlainHttpOnTlsPort(
                    new SslConnectionFactory(tls.get().context(), HttpVersion.HTTP_1_1.asString()), http, plane);
            http.addCustomizer(new CertificateHostCheck(tls.get().setting()));
            connector = new ServerConnector(server, plainOrTls, new CredentialKeepingHttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new CredentialKeepingHttpConnectionFactory(http));
        }
        connector.setName(name);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(60_000);
        server.addConnector(connector);
        return connector;
    }

    /** TLS with {@code keystore}, read again every {@code check} for a renewed certificate. */
    static Tls tls(Server server, TlsKeystore keystore, Duration check, Clock clock) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keystore.keyStore());
        ssl.setKeyStorePassword(keystore.password());
        if (!check.isZero()) {
            server.addBean(new KeystoreReloader(ssl, keystore, server.getScheduler(), check, clock));
        }
        return new Tls(ssl, keystore.setting());
    }

    /** A port's TLS, and the setting that names its keystore ({@code gateway.tls.keystore}). */
    record Tls(SslContextFactory.Server context, String setting) {}

    /** Binds {@code connector}'s port, or says which plane's could not be bound, and why. */
    static void listen(ServerConnector connector, String plane, String portKey) {
        try {
            connector.open();
        } catch (IOException e) {
            // Jetty says "Failed to bind to /0.0.0.0:8080"; the reason ("Address already in use") is its cause.
            String why = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage()
                    : e.getMessage();
            throw new TokengateException(
                    "cannot listen on " + (connector.getHost() == null ? "*" : connector.getHost()) + ":"
                            + connector.getPort() + " for " + plane + " (" + portKey + "): " + why,
                    e);
        }
    }

    /** Where {@code connector} listens: {@code https://} when it serves TLS. */
    static URI uri(ServerConnector connector) {
        String scheme = connector.getConnectionFactory(PlainHttpOnTlsPort.class) == null ? "http" : "https";
        return URI.create(
                scheme + "://" + TokengateConfig.urlHost(connector.getHost()) + ":" + connector.getLocalPort());
    }
}
