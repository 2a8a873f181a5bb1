package io.tokengate.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connections, which also keep the {@code Authorization} and {@code
 * X-Forwarded-For} fields of the request they are parsing. When Jetty's parser refuses a request
 * part-way (ambiguous framing, a header line it cannot read), the error handler is given a request
 * without its headers; {@link #headersOf} still finds the credentials the client presented before
 * the fault, so that the refusal is audited under them, as every data-plane request that presents
 * credentials is, and the client's address a load balancer in front named.
 *
 * <p>This extends Jetty's internal {@code HttpConnection}, as {@link ServerThreadPool} relies on
 * one of its classes: {@code HostileRequestsIT} fails if an upgrade changes how it is built.
 */
public final class CredentialKeepingHttpConnectionFactory extends HttpConnectionFactory {

    public CredentialKeepingHttpConnectionFactory(HttpConfiguration configuration) {
        super(configuration);
    }

    /** What {@link HttpConnectionFactory#newConnection} builds, keeping credentials. */
    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        KeepingConnection connection = new KeepingConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /**
     * The header fields of {@code request} as far as Jetty parsed them: its headers when it has
     * any, else the {@code Authorization} and {@code X-Forwarded-For} fields the connection kept
     * before the parser refused it (none when the fault came before them). They may hold a secret:
     * never for a log.
     */
    public static HttpFields headersOf(Request request) {
        HttpFields headers = request.getHeaders();
        if (headers.size() > 0
                || !(request.getConnectionMetaData().getConnection() instanceof KeepingConnection kept)) {
            return headers;
        }
        HttpFields.Mutable fields = HttpFields.build(2);
        if (kept.handler.authorization != null) {
            fields.add(HttpHeader.AUTHORIZATION, kept.handler.authorization);
        }
        if (kept.handler.forwardedFor != null) {
            fields.add(HttpHeader.X_FORWARDED_FOR, kept.handler.forwardedFor);
        }
        return fields;
    }

    private static final class KeepingConnection extends HttpConnection {
        /** Set by {@link #newRequestHandler}, which {@code HttpConnection}'s constructor calls. */
        private KeepingHandler handler;

        KeepingConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        protected RequestHandler newRequestHandler() {
            handler = new KeepingHandler();
            return handler;
        }

        private final class KeepingHandler extends RequestHandler {
            /**
             * Of the request being parsed. Read by the error handler after the parser stopped,
             * on this thread or on one Jetty handed the failure to (which orders the two).
             */
            private String authorization;
            /** Every X-Forwarded-For field so far, joined as one. */
            private String forwardedFor;

            @Override
            public void messageBegin() {
                forget(); // before the request line: one that fails has no credentials
                super.messageBegin();
            }

            @Override
            public boolean messageComplete() {
                forget();
                return super.messageComplete();
            }

            private void forget() {
                authorization = null;
                forwardedFor = null;
            }

            @Override
            public void parsedHeader(HttpField field) {
                if (field.getHeader() == HttpHeader.AUTHORIZATION) {
                    authorization = field.getValue();
                } else if (field.getHeader() == HttpHeader.X_FORWARDED_FOR) {
                    forwardedFor = forwardedFor == null ? field.getValue() : forwardedFor + ", " + field.getValue();
                }
                super.parsedHeader(field);
            }
        }
    }
}
