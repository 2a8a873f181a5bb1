package io.tokengate.server.cli;

import io.tokengate.core.TokengateException;
import io.tokengate.server.admin.AdminHandler;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.config.Key;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.users.JiraUserDirectory;
import io.tokengate.server.users.LocalUsers;
import io.tokengate.server.users.OperatorIdentity;
import io.tokengate.server.users.PasswordHasher;
import io.tokengate.server.users.StoreUserDirectory;
import io.tokengate.store.DatabaseHeldException;
import io.tokengate.store.Store;
import io.tokengate.store.StoreUnavailableException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Where administrative commands go: a running server's admin API ({@code --server URL}), or,
 * when no server is named, the same API served in this process over the home directory's store,
 * as an operator ({@link OperatorIdentity}). Either way the commands speak HTTP to one API, so
 * validation, audit records and JSON output are the same.
 */
final class AdminConnection implements AutoCloseable {
    private final ApiClient client;
    private final Server server;
    private final Store store;

    private AdminConnection(ApiClient client, Server server, Store store) {
        this.client = client;
        this.server = server;
        this.store = store;
    }

    /** A running server's admin plane; over {@code https://}, trusting {@code tls} when given, else the JVM. */
    static AdminConnection remote(URI adminUrl, Optional<SSLContext> tls, String user, char[] password) {
        return new AdminConnection(new ApiClient(adminUrl, tls, user, password), null, null);
    }

    /**
     * Opens the home's store and serves the admin API on a loopback port for this process only.
     *
     * @throws TokengateException when the store cannot be opened; an embedded database held by a
     *     running server is explained
     */
    static AdminConnection local(TokengateConfig config) {
        Store store = openOffline(config);
        Server server = new Server();
        try {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            OperatorIdentity operator = OperatorIdentity.forCurrentUser();
            String gatewayUrl = config.publicUrlOrListening();
            server.setHandler(AdminHandler.forOperator(
                    config,
                    store,
                    new LocalUsers(store.users(), new PasswordHasher()),
                    jiraUsers(config, store, gatewayUrl),
                    gatewayUrl,
                    Clock.systemUTC(),
                    operator));
            server.start();
            URI url = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            return new AdminConnection(
                    new ApiClient(url, Optional.empty(), operator.name(), operator.password()), server, store);
        } catch (Exception e) {
            stopQuietly(server);
            store.close();
            throw e instanceof TokengateException t
                    ? t
                    : new TokengateException("cannot serve the admin API locally", e);
        }
    }

    /**
     * Jira's directory when users come from Jira, as a server has it: offline commands ask Jira
     * too, before they bind a token to a user. Null for local users.
     */
    private static JiraUserDirectory jiraUsers(TokengateConfig config, Store store, String gatewayUrl) {
        if (config.admin().identitySource() != AdminConfig.IdentitySource.JIRA
                || config.upstream().isEmpty()) {
            return null;
        }
        Duration ttl = Duration.ofSeconds(30);
        return new JiraUserDirectory(
                new StoreUserDirectory(store.users(), store.upstreamCredentials(), ttl),
                config.gateway(gatewayUrl),
                ttl,
                Clock.systemUTC());
    }

    /**
     * Opens the home's store for an offline command.
     *
     * @throws TokengateException naming the running server, when it holds the embedded database
     */
    static Store openOffline(TokengateConfig config) {
        try {
            return Store.open(config.store(), Clock.systemUTC());
        } catch (StoreUnavailableException e) {
            throw heldByAServer(config, e);
        }
    }

    /** {@code e}, or, when a running server holds the embedded database, an exception that says so. */
    static RuntimeException heldByAServer(TokengateConfig config, StoreUnavailableException e) {
        if (e instanceof DatabaseHeldException) {
            return new TokengateException(
                    "the database in " + config.home().toAbsolutePath()
                            + " is held by a running tokengate server: talk to it with --server "
                            + RunMarker.adminUrl(config.home()).orElseGet(() -> adminUrl(config))
                            + " --login USER, or stop it first",
                    e);
        }
        return e;
    }

    /** Where this home's server answers on the admin plane, as its settings say; a wildcard host is this machine. */
    private static String adminUrl(TokengateConfig config) {
        boolean tls = config.settings().stream()
                .anyMatch(s -> s.key() == Key.ADMIN_TLS_KEYSTORE && !s.value().isBlank());
        String host = config.adminHost();
        if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return (tls ? "https://" : "http://") + host + ":" + config.adminPort();
    }

    ApiClient api() {
        return client;
    }

    boolean isLocal() {
        return store != null;
    }

    @Override
    public void close() {
        if (server != null) {
            stopQuietly(server);
        }
        if (store != null) {
            store.close(); // flushes the audit records of this session
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // nothing else to do while closing
        }
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
