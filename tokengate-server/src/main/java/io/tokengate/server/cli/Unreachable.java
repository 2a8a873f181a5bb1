package io.tokengate.server.cli;

import io.tokengate.core.Causes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Why the JDK's HTTP client reached nothing, in words: its exceptions often have no message, and
 * a host name that does not resolve is a {@code ConnectException} too, caused by it.
 */
final class Unreachable {
    private Unreachable() {}

    /**
     * @param connect the client's connect timeout, and {@code answer} its request timeout, as said
     * @param tlsHint what to do when TLS fails, e.g. which setting names the certificates to trust
     */
    static String why(IOException e, Duration connect, Duration answer, String tlsHint) {
        if (Causes.find(e, UnresolvedAddressException.class).isPresent()
                || Causes.find(e, UnknownHostException.class).isPresent()) {
            return "its host name does not resolve";
        }
        if (Causes.find(e, HttpConnectTimeoutException.class).isPresent()) {
            return "no connection within " + said(connect);
        }
        if (Causes.find(e, HttpTimeoutException.class).isPresent()) {
            return "no answer within " + said(answer);
        }
        Optional<SSLException> tls = Causes.find(e, SSLException.class);
        if (tls.isPresent()) {
            return "TLS failed (" + tls.get().getMessage() + "); " + tlsHint;
        }
        if (Causes.find(e, ConnectException.class).isPresent()) {
            return "connection refused";
        }
        return e.getMessage() != null ? e.toString() : e.getClass().getSimpleName();
    }

    private static String said(Duration duration) {
        return duration.toSeconds() < 120 ? duration.toSeconds() + " s" : duration.toMinutes() + " min";
    }
}
