package io.tokengate.server;

import io.tokengate.server.admin.AdminHandler;
import io.tokengate.server.admin.HostCheck;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.config.TlsKeystore;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.GatewayHandler;
import io.tokengate.server.http.CertificateHostCheck;
import io.tokengate.server.http.CredentialKeepingHttpConnectionFactory;
import io.tokengate.server.http.Draining;
import io.tokengate.server.http.JsonErrorHandler;
import io.tokengate.server.http.KeystoreReloader;
import io.tokengate.server.http.PlainHttpOnTlsPort;
import io.tokengate.server.http.ServerThreadPool;
import io.tokengate.server.metrics.Metrics;
import io.tokengate.server.metrics.MetricsHandler;
import io.tokengate.server.users.JiraUserDirectory;
import io.tokengate.server.users.LocalUsers;
import io.tokengate.server.users.PasswordHasher;
import io.tokengate.server.users.StoreUserDirectory;
import io.tokengate.store.Store;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: one process, one Jetty server, two connectors. The data plane connector
 * serves the gateway; the admin connector (loopback by default) serves the admin plane. {@link
 * #close()} stops accepting, drains in-flight requests, then closes the store, which flushes the
 * audit queue.
 */
public final class TokengateServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokengateServer.class);
    private static final String DATA = "data";
    private static final String ADMIN = "admin";
    private static final Duration DRAIN = Duration.ofSeconds(20);
    /** How long the data plane keeps what it knows of a user (role, groups, e-mail, from Jira too). */
    private static final Duration USER_DIRECTORY_TTL = Duration.ofSeconds(30);

    private final Server server;
    private final Store store;
    private final ServerConnector data;
    private final ServerConnector admin;
    private final GatewayConfig gateway;
    private final LocalUsers localUsers;

    private TokengateServer(
            Server server,
            Store store,
            ServerConnector data,
            ServerConnector admin,
            GatewayConfig gateway,
            LocalUsers localUsers) {
        this.server = server;
        this.store = store;
        this.data = data;
        this.admin = admin;
        this.gateway = gateway;
        this.localUsers = localUsers;
    }

    /** Opens the store, binds both ports and starts serving. */
    public static TokengateServer start(TokengateConfig config, Clock clock) {
        Store store = Store.open(config.store(), clock);
        Server server = new Server(new ServerThreadPool(400, 16, 60_000));
        try {
            ServerConnector data = connector(
                    server,
                    DATA,
                    config.gatewayHost(),
                    config.gatewayPort(),
                    true,
                    config.gatewayTls().map(keystore -> tls(server, keystore, config.tlsCheck(), clock)),
                    "the data plane");
            ServerConnector admin = connector(
                    server,
                    ADMIN,
                    config.adminHost(),
                    config.adminPort(),
                    false,
                    config.adminTls().map(keystore -> tls(server, keystore, config.tlsCheck(), clock)),
                    "the admin plane");
            listen(data, "the data plane", "gateway.port");
            listen(admin, "the admin plane", "admin.port");
            GatewayConfig gateway = config.gateway(uri(data).toString());
            StoreUserDirectory users =
                    new StoreUserDirectory(store.users(), store.upstreamCredentials(), USER_DIRECTORY_TTL);
            JiraUserDirectory jiraUsers = config.admin().identitySource() == AdminConfig.IdentitySource.JIRA
                    ? new JiraUserDirectory(users, gateway, USER_DIRECTORY_TTL)
                    : null;
            Runnable usersChanged = () -> {
                users.invalidate();
                if (jiraUsers != null) {
                    jiraUsers.invalidate();
                }
            };
            LocalUsers localUsers = new LocalUsers(store.users(), new PasswordHasher());
            Metrics metrics = new Metrics(store);
            GatewayHandler gatewayHandler = new GatewayHandler(
                    gateway, store.tokens(), store.auditSink(), jiraUsers == null ? users : jiraUsers, metrics, clock);
            store.cluster().shareRateLimits(gatewayHandler.rateExchange());
            store.cluster().shareLoginFailures("data", gatewayHandler.loginFailures());
            Handler.Sequence planes = new Handler.Sequence(
                    new OnConnector(DATA, gatewayHandler),
                    new OnConnector(
                            ADMIN,
                            new OnWorkerThread(new HostCheck(
                                    config.admin(),
                                    new Handler.Sequence(
                                            new MetricsHandler(metrics),
                                            AdminHandler.create(
                                                    config,
                                                    store,
                                                    localUsers,
                                                    jiraUsers,
                                                    usersChanged,
                                                    gateway.publicUrl(),
                                                    gatewayHandler.loginFailures(),
                                                    clock))))));
            server.setHandler(new Draining(planes));
            server.setErrorHandler(new JsonErrorHandler(DATA, gatewayHandler::refusedBeforeHandling));
            server.setStopTimeout(DRAIN.toMillis());
            server.setStopAtShutdown(false);
            server.start();
            TokengateServer started = new TokengateServer(server, store, data, admin, gateway, localUsers);
            LOG.info(
                    "tokengate serving {} -> {} ({}), admin on {} (identity.source {}), {} mode",
                    started.dataUri(),
                    gateway.upstream(),
                    gateway.identity(),
                    started.adminUri(),
                    config.admin().identitySource().label(),
                    store.tokens().secureMode() ? "secure" : "standard");
            return started;
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            store.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new io.tokengate.core.TokengateException(e.getMessage(), e);
        }
    }

    /** Binds {@code connector}'s port, or says which plane's could not be bound, and why. */
    private static void listen(ServerConnector connector, String plane, String portKey) {
        try {
            connector.open();
        } catch (IOException e) {
            // Jetty says "Failed to bind to /0.0.0.0:8080"; the reason ("Address already in use") is its cause.
            String why = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage()
                    : e.getMessage();
            throw new io.tokengate.core.TokengateException(
                    "cannot listen on " + (connector.getHost() == null ? "*" : connector.getHost()) + ":"
                            + connector.getPort() + " for " + plane + " (" + portKey + "): " + why,
                    e);
        }
    }

    /** TLS with {@code keystore}, read again every {@code check} for a renewed certificate. */
    private static Tls tls(Server server, TlsKeystore keystore, Duration check, Clock clock) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keystore.keyStore());
        ssl.setKeyStorePassword(keystore.password());
        if (!check.isZero()) {
            server.addBean(new KeystoreReloader(ssl, keystore, server.getScheduler(), check, clock));
        }
        return new Tls(ssl, keystore.setting());
    }

    /** A port's TLS, and the setting that names its keystore ({@code gateway.tls.keystore}). */
    private record Tls(SslContextFactory.Server context, String setting) {}

    /**
     * A connector speaking HTTP/1.1, over TLS when given: Jetty's defaults for protocols and cipher
     * suites (TLS 1.2 and 1.3, no weak suites); a request whose {@code Host} the certificate does
     * not name is refused (400, {@link CertificateHostCheck}), and so is plain HTTP sent to the port
     * ({@link PlainHttpOnTlsPort}). Both planes' connections keep a request's credentials (the data
     * plane audits a request Jetty's parser refuses under them): one connection class for both keeps
     * the parser's calls into it as the JIT compiled them for one.
     */
    private static ServerConnector connector(
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

    /** Dispatches a request to {@code handler} only when it arrived on the named connector. */
    private static final class OnConnector extends Handler.Wrapper {
        private final String connector;

        OnConnector(String connector, Handler handler) {
            super(handler);
            this.connector = connector;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return connector.equals(
                            request.getConnectionMetaData().getConnector().getName())
                    && super.handle(request, response, callback);
        }
    }

    /**
     * Runs a blocking handler (the admin plane: database, password hashing) on a worker thread.
     * The data plane never blocks, so Jetty runs the server's handlers on its selector threads
     * (the server's invocation type is that of its whole handler tree); this wrapper keeps the
     * admin plane off them.
     */
    private static final class OnWorkerThread extends Handler.Wrapper {
        OnWorkerThread(Handler handler) {
            super(handler);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            request.getComponents().getExecutor().execute(() -> {
                try {
                    if (!super.handle(request, response, callback)) {
                        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    }
                } catch (Throwable failure) {
                    Response.writeError(request, response, callback, failure);
                }
            });
            return true;
        }
    }

    /** Where the data plane listens: {@code https://} when it serves TLS. */
    public URI dataUri() {
        return uri(data);
    }

    public URI adminUri() {
        return uri(admin);
    }

    private static URI uri(ServerConnector connector) {
        String scheme = connector.getConnectionFactory(PlainHttpOnTlsPort.class) == null ? "http" : "https";
        return URI.create(
                scheme + "://" + TokengateConfig.urlHost(connector.getHost()) + ":" + connector.getLocalPort());
    }

    public GatewayConfig gateway() {
        return gateway;
    }

    public Store store() {
        return store;
    }

    /**
     * The local users of this server, e.g. for {@code tokengate demo}: {@code
     * server.localUsers().ensureAdmin("admin", password)}. Changes made here are seen by the data
     * plane's user cache within its lifetime (30 s).
     */
    public LocalUsers localUsers() {
        return localUsers;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("error while stopping the HTTP server", e);
        } finally {
            store.close();
        }
    }
}
