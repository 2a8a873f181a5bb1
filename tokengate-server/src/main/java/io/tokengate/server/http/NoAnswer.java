package io.tokengate.server.http;

import io.tokengate.core.Causes;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;

/**
 * Why Jira gave no answer, in words an admin reads in a refusal's message, the audit log and the
 * log: shared by the data plane's forwarding (Jetty's client) and the user lookups and sign-in
 * checks (the JDK's client), so that one cause reads the same wherever it shows. Never a class
 * name or a connection object's dump where words will do.
 */
public final class NoAnswer {
    public static final String CLOSED = "Jira closed the connection before answering";
    public static final String REFUSED = "connection refused";

    private NoAnswer() {}

    /**
     * Whether {@code failure} (or a cause of it) is the connection ending before Jira's answer
     * did: an end of stream on Jetty's connection ({@code EofException} is an {@link
     * EOFException}) or the JDK client's, which says so only in its message.
     */
    public static boolean closed(Throwable failure) {
        return Causes.any(failure, NoAnswer::endOfStream);
    }

    private static boolean endOfStream(Throwable t) {
        if (t instanceof EOFException) {
            return true;
        }
        String message = t.getMessage();
        return t instanceof IOException
                && message != null
                && (message.contains("header parser received no bytes") || message.contains("EOF reached"));
    }

    /** Whether {@code failure} (or a cause of it) is Jira refusing the connection itself. */
    public static boolean refused(Throwable failure) {
        return Causes.find(failure, ConnectException.class).isPresent();
    }
}
