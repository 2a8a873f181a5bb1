package io.tokengate.server;

import io.tokengate.server.admin.AdminHandler;
import io.tokengate.server.admin.HostCheck;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.gateway.GatewayConfig;
import io.tokengate.server.gateway.GatewayHandler;
import io.tokengate.server.http.Draining;
import io.tokengate.server.http.JsonErrorHandler;
import io.tokengate.server.http.ServerThreadPool;
import io.tokengate.server.metrics.Metrics;
import io.tokengate.server.metrics.MetricsHandler;
import io.tokengate.server.users.JiraUserDirectory;
import io.tokengate.server.users.LocalUsers;
import io.tokengate.server.users.PasswordHasher;
import io.tokengate.server.users.StoreUserDirectory;
import io.tokengate.store.Store;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
        Server server = new Server(new ServerThreadPool(400, 16, 60_000));
        Store store = null;
        try {
            ServerConnector data = Connectors.connector(
                    server,
                    DATA,
                    config.gatewayHost(),
                    config.gatewayPort(),
                    true,
                    config.gatewayTls().map(keystore -> Connectors.tls(server, keystore, config.tlsCheck(), clock)),
                    "the data plane");
            ServerConnector admin = Connectors.connector(
                    server,
                    ADMIN,
                    config.adminHost(),
                    config.adminPort(),
                    false,
                    config.adminTls().map(keystore -> Connectors.tls(server, keystore, config.tlsCheck(), clock)),
                    "the admin plane");
            Connectors.listen(data, "the data plane", "gateway.port");
            Connectors.listen(admin, "the admin plane", "admin.port");
            // The ports before the store: a start that cannot have them leaves a new home as it
            // found it, without a database and a key file made for a server that never ran.
            store = Store.open(config.store(), clock);
            GatewayConfig gateway = config.gateway(
                    Connectors.uri(data).toString(), Connectors.uri(admin).toString());
            StoreUserDirectory users =
                    new StoreUserDirectory(store.users(), store.upstreamCredentials(), USER_DIRECTORY_TTL);
            JiraUserDirectory jiraUsers = config.admin().identitySource() == AdminConfig.IdentitySource.JIRA
                    ? new JiraUserDirectory(users, gateway, USER_DIRECTORY_TTL, clock)
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
            metrics.watch(gatewayHandler.inspectionMemory());
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
                                                    gateway.adminUrl(),
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
            // A server that never started leaves the ports it bound to their connectors.
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof ServerConnector bound) {
                    bound.close();
                }
            }
            if (store != null) {
                store.close();
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new io.tokengate.core.TokengateException(e.getMessage(), e);
        }
    }

    /** Where the data plane listens: {@code https://} when it serves TLS. */
    public URI dataUri() {
        return Connectors.uri(data);
    }

    public URI adminUri() {
        return Connectors.uri(admin);
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

    /** How long {@link #close} waits for the requests in flight; for tests that cannot wait 20 s. */
    void drainFor(Duration drain) {
        server.setStopTimeout(drain.toMillis());
    }

    /**
     * Stops: refuses new connections, waits up to {@link #DRAIN} for the requests in flight, then
     * closes the store, which writes the audit queue. Each step is logged, so that an operator
     * watching a stop that takes a while sees what it waits for.
     */
    @Override
    public void close() {
        LOG.info(
                "stopping: new connections refused; waiting up to {} ms for the requests in flight, then writing"
                        + " the audit queue",
                server.getStopTimeout());
        try {
            server.stop();
        } catch (TimeoutException e) {
            LOG.warn(
                    "stopping: requests still in flight after {} ms were cut (their audit records say \"cut by"
                            + " the gateway's stop\")",
                    server.getStopTimeout());
        } catch (Exception e) {
            LOG.warn("error while stopping the HTTP server", e);
        } finally {
            store.close();
        }
    }
}
