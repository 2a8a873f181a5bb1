package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body the gateway has begun to read for a JSON condition, and holds: a {@code
 * POST} of a filter, its head sent with {@code Expect: 100-continue}, and the gateway's 100
 * Continue (sent once it reads, so after it has made room) come back; then part of the body, more
 * on {@link #more}, and the rest only on {@link #finish}.
 */
final class HeldBody implements AutoCloseable {
    static final String FILTER = "/rest/api/2/filter";
    /** What the tests' filter tokens allow: {@code [JsonData::editable==false]}. */
    static final String ALLOWED = "{\"name\":\"Bugs\",\"editable\":false}";

    /**
     * A new token of {@code admin}'s named {@code name}, whose limits read the filter's body: its
     * Basic {@code Authorization} value.
     */
    static String filterToken(GatewayFixture gw, String name) {
        return gw.basic(
                "admin",
                TokenSpec.bound(name, "admin", "admin").withLimits(".*" + FILTER + "[JsonData::editable==false]"));
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** -1: chunked; else the spaces that fill the declared length after the JSON. */
    private int padding;

    private HeldBody(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** A body of {@code length} bytes, declared, of which all but its end is sent. */
    static HeldBody declared(GatewayFixture gw, String auth, int length) throws IOException {
        HeldBody held = start(gw, auth, "Content-Length: " + length + "\r\n");
        assertThat(held.head()).startsWith("HTTP/1.1 100");
        held.out.write(ALLOWED.substring(0, ALLOWED.length() - 1).getBytes(StandardCharsets.UTF_8));
        held.out.flush();
        held.padding = length - ALLOWED.length();
        return held;
    }

    /** A chunked body, of which one chunk is sent. */
    static HeldBody chunked(GatewayFixture gw, String auth) throws IOException {
        HeldBody held = start(gw, auth, "Transfer-Encoding: chunked\r\n");
        assertThat(held.head()).startsWith("HTTP/1.1 100");
        held.chunk(ALLOWED.substring(0, ALLOWED.length() - 1));
        held.padding = -1;
        return held;
    }

    /** Sends only the request's head, framed by {@code framing}. */
    static HeldBody start(GatewayFixture gw, String auth, String framing) throws IOException {
        HeldBody held = new HeldBody(new Socket("127.0.0.1", gw.server.dataUri().getPort()));
        held.socket.setSoTimeout(10_000);
        held.out.write(("POST " + FILTER + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                        + "\r\nContent-Type: application/json\r\n" + framing
                        + "Expect: 100-continue\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        held.out.flush();
        return held;
    }

    /** Sends one more byte of the body, a space, which leaves its JSON as it was. */
    void more() throws IOException {
        if (padding < 0) {
            chunk(" ");
        } else {
            out.write(' ');
            out.flush();
            padding--;
        }
    }

    /** Sends the rest of the body, and reads the answer. */
    RawResponse finish() throws IOException {
        if (padding < 0) {
            chunk("}");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.write(("}" + " ".repeat(padding)).getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        return answer();
    }

    /** Reads the answer to the end of the connection. */
    RawResponse answer() throws IOException {
        return RawResponse.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    private void chunk(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one response head, up to and including its empty line. */
    String head() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
