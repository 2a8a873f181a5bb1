package io.tokengate.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as given over a fresh socket and reads until the server closes, for
 * request targets that {@link java.net.http.HttpClient} would not send as they are.
 */
final class RawHttp {
    static final int TIMEOUT_MS = 10_000;

    private RawHttp() {}

    /** The whole response to {@code head} (request line and headers, without the blank line) and {@code body}. */
    static String exchange(URI base, String head, byte[] body) {
        try (Socket socket = connect(base)) {
            socket.getOutputStream()
                    .write((head + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Socket connect(URI base) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    /** The status code of a raw response. */
    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
