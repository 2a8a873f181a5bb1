package io.tokengate.server.http;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A request a TLS port refuses before any handler sees it (400): plain HTTP sent to it ({@link
 * PlainHttpOnTlsPort}), or over TLS but to a host its certificate does not name ({@link
 * CertificateHostCheck}). {@link JsonErrorHandler} answers it with {@link #clientMessage()} in the
 * usual error body, and logs and audits it under {@link #getReason()}. Neither ever holds a secret.
 */
public final class TlsRefusal extends BadMessageException {
    private final String clientMessage;

    /**
     * @param reason what the log and the audit record say, short: {@code plain HTTP to the HTTPS port}
     * @param clientMessage what the client is told, with what to do about it
     */
    TlsRefusal(String reason, String clientMessage) {
        super(HttpStatus.BAD_REQUEST_400, reason);
        this.clientMessage = clientMessage;
    }

    public String clientMessage() {
        return clientMessage;
    }
}
