package io.tokengate.server.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first connection factory of a TLS port: it looks at the first bytes of each new connection
 * once. A TLS handshake goes on to TLS, as without it; anything else (a client configured with
 * {@code http://}) is read as plain HTTP only to answer each request with 400, "This port speaks
 * HTTPS; use https://…", in the usual error body, and to close the connection ({@link
 * JsonErrorHandler}). Such a request never reaches a handler, so it is never forwarded and never
 * redirected: a redirect would teach the client that {@code http://} works, and curl {@code -L} or
 * a script's HTTP library would then send the same credentials in clear text before every call.
 *
 * <p>The data plane audits such a request when it presents credentials, as every request Jetty
 * refuses before the gateway's handler: they crossed the network unencrypted. The record keeps the
 * Basic user, the client's address and the path, and the token if the node has it in memory (it
 * does not wait for the database there). A warning, at most one per {@link #WARNING_INTERVAL} with
 * the number of connections since the last, tells the operator, without credentials.
 *
 * <p>The look costs once per connection, never per request; a port without TLS has no such factory.
 */
public final class PlainHttpOnTlsPort extends DetectorConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(PlainHttpOnTlsPort.class);
    /** What the log and the audit record say of such a request. */
    public static final String REASON = "plain HTTP to the HTTPS port";
    /** What the client of a plain HTTP request that could not be read is told. */
    static final String UNREADABLE = "This port speaks HTTPS, not plain HTTP: use an https:// URL.";

    static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    private final String plane;
    private final ConnectionFactory plain;
    private final AtomicLong nextWarningAt = new AtomicLong(System.nanoTime());
    private final LongAdder unwarned = new LongAdder();

    /**
     * @param tls the port's TLS, which goes on to its HTTP connection factory
     * @param http the port's HTTP configuration, before any customizer for TLS: plain HTTP is read
     *     with the same limits
     * @param plane what the warning calls the port: {@code the data plane}
     */
    public PlainHttpOnTlsPort(SslConnectionFactory tls, HttpConfiguration http, String plane) {
        super(tls);
        HttpConfiguration refusing = new HttpConfiguration(http);
        refusing.addCustomizer(new Refusal());
        this.plain = new CredentialKeepingHttpConnectionFactory(refusing);
        this.plane = plane;
        addBean(plain);
    }

    /** Not TLS: read the bytes as plain HTTP, on a connection that refuses every request. */
    @Override
    protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
        warn(endPoint);
        upgradeToConnectionFactory(plain, connector, endPoint);
    }

    /** Whether {@code request} came as plain HTTP to a TLS port (also one Jetty's parser refused). */
    public static boolean carried(Request request) {
        return request.getConnectionMetaData().getHttpConfiguration().getCustomizer(Refusal.class) != null;
    }

    private void warn(EndPoint endPoint) {
        long now = System.nanoTime();
        long due = nextWarningAt.get();
        if (now - due < 0 || !nextWarningAt.compareAndSet(due, now + WARNING_INTERVAL.toNanos())) {
            unwarned.increment();
            return;
        }
        long more = unwarned.sumThenReset();
        LOG.warn(
                "plain HTTP from {} to the HTTPS port of {}: answered 400, use https://; credentials such a"
                        + " client sends cross the network unencrypted{}",
                endPoint.getRemoteSocketAddress(),
                plane,
                more == 0 ? "" : " (" + more + " more connections since the last warning)");
    }

    /** Refuses every request of a plain HTTP connection to a TLS port, before any handler. */
    private static final class Refusal implements HttpConfiguration.Customizer {
        @Override
        public Request customize(Request request, HttpFields.Mutable responseHeaders) {
            // The port the client named, else the one it reached: a Host without a port stands for
            // plain HTTP's 80, which is not where HTTPS is served.
            int port =
                    request.getHttpURI().getPort() > 0 ? request.getHttpURI().getPort() : Request.getLocalPort(request);
            String https = "https://" + Request.getServerName(request) + ":" + port
                    + request.getHttpURI().getPath();
            String message = "This port speaks HTTPS, not plain HTTP: use " + https + ".";
            if (request.getHeaders().contains(HttpHeader.AUTHORIZATION)) {
                message += " The credentials of this request crossed the network unencrypted: replace them"
                        + " (rotate the token, or change the password).";
            }
            throw new TlsRefusal(REASON, message);
        }
    }
}
