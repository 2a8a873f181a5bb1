package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The data plane's {@link GatewayHandler} alone, on a Jetty server and with a user directory of
 * the test's making, over a real H2 store: for failures the whole server of {@link GatewayFixture}
 * cannot be brought to (a thread pool that refuses work, a collaborator that throws). Its upstream
 * is nowhere unless the settings name one: requests that reach forwarding then get 502.
 */
final class LoneGateway implements AutoCloseable {
    final Store store;
    private final Server server;
    private final int port;

    private LoneGateway(Store store, Server server, int port) {
        this.store = store;
        this.server = server;
        this.port = port;
    }

    /** Serves on 127.0.0.1 with {@code server}, whose connector is made here (one acceptor, one selector). */
    static LoneGateway start(Path home, Server server, UserDirectory users) throws Exception {
        return start(home, server, users, Map.of());
    }

    /** {@link #start(Path, Server, UserDirectory)} with {@code settings} besides (or instead of) its own. */
    static LoneGateway start(Path home, Server server, UserDirectory users, Map<String, String> settings)
            throws Exception {
        Map<String, String> flags = new HashMap<>(
                Map.of("upstream.url", "http://127.0.0.1:9/", "audit.flush.interval.ms", "20", "node.id", "test-node"));
        flags.putAll(settings);
        TokengateConfig config = ConfigLoader.load(home, Map.of(), flags, true);
        Store store = Store.open(config.store(), Clock.systemUTC());
        try {
            ServerConnector connector = new ServerConnector(server, 1, 1);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            connector.open();
            int port = connector.getLocalPort();
            server.setHandler(new GatewayHandler(
                    config.gateway("http://127.0.0.1:" + port),
                    store.tokens(),
                    store.auditSink(),
                    users,
                    RequestObserver.NONE,
                    Clock.systemUTC()));
            server.start();
            return new LoneGateway(store, server, port);
        } catch (Exception e) {
            server.stop();
            store.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** {@code Basic} credentials of {@code user} with a new token made to {@code spec}. */
    String basic(String user, TokenSpec spec) {
        return GatewayFixture.basic(user, store.tokens().create(spec).secret().reveal());
    }

    /**
     * The audit record of the request {@code requestId}, once the queue is flushed. The record is
     * queued when the request completes, which may be just after the client has its response (as
     * {@code GatewayFixture.audited}): this waits up to 5 s for it.
     */
    AuditEvent audited(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            assertThat(store.audit().flush(Duration.ofSeconds(5))).isTrue();
            List<AuditEvent> events =
                    store.auditLog().query(AuditQuery.all().withLimit(100)).events();
            Optional<AuditEvent> event =
                    events.stream().filter(e -> requestId.equals(e.requestId())).findFirst();
            if (event.isPresent()) {
                return event.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit record of " + requestId + " in " + events);
            }
            Thread.sleep(20); // poll interval
        }
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            store.close();
        }
    }
}
