package io.tokengate.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connections, which also keep the {@code Authorization} field of the request
 * they are parsing. When Jetty's parser refuses a request part-way (ambiguous framing, a header
 * line it cannot read), the error handler is given a request without its headers; {@link
 * #authorizationOf} still finds the credentials the client presented before the fault, so that
 * the refusal is audited under them, as every data-plane request that presents credentials is.
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
     * The {@code Authorization} value the client sent with {@code request}, as far as Jetty parsed
     * it: the header when the request has headers, else the field the connection kept; null when
     * it presented none (or the fault came before that field). A secret: never for a log.
     */
    public static String authorizationOf(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null) {
            return header;
        }
        return request.getConnectionMetaData().getConnection() instanceof KeepingConnection kept
                ? kept.handler.authorization
                : null;
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

            @Override
            public void messageBegin() {
                authorization = null; // before the request line: one that fails has no credentials
                super.messageBegin();
            }

            @Override
            public boolean messageComplete() {
                authorization = null;
                return super.messageComplete();
            }

            @Override
            public void parsedHeader(HttpField field) {
                if (field.getHeader() == HttpHeader.AUTHORIZATION) {
                    authorization = field.getValue();
                }
                super.parsedHeader(field);
            }
        }
    }
}
