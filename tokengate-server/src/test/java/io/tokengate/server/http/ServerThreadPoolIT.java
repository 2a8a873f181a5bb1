package io.tokengate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a keep-alive connection looks for its next request after an exchange that completed on
 * another thread, as a proxied one does: on that thread when the server's handlers never block,
 * on a pool thread otherwise. Two pipelined requests make the look find something: the second is
 * handled by the look, and says on which thread.
 *
 * <p>When the completion wins the race against the handler's return, Jetty itself goes on with the
 * second request on the first's thread, without any look; so each case sends {@link #CONNECTIONS}
 * pairs and asks whether any (or none) was handled on the completing thread.
 */
class ServerThreadPoolIT {
    private static final String COMPLETER = "upstream-like-completer";
    private static final int CONNECTIONS = 20;

    private final ExecutorService completer = Executors.newSingleThreadExecutor(r -> new Thread(r, COMPLETER));
    private Server server;

    @AfterEach
    void stop() throws Exception {
        server.stop();
        completer.shutdownNow();
    }

    @Test
    void aNonBlockingServerLooksForTheNextRequestOnTheThreadThatCompletedTheLast() throws Exception {
        int port = start(InvocationType.NON_BLOCKING);

        List<String> secondHandledOn = secondRequestThreads(port);

        assertThat(secondHandledOn).contains(COMPLETER);
    }

    @Test
    void aServerWithABlockingHandlerHandsTheLookToAPoolThreadAsJettyDoes() throws Exception {
        int port = start(InvocationType.BLOCKING);

        List<String> secondHandledOn = secondRequestThreads(port);

        assertThat(secondHandledOn).doesNotContain(COMPLETER).allMatch(name -> name.startsWith("test-pool"));
    }

    /** Over {@link #CONNECTIONS} connections, the thread that handled each one's second request. */
    private static List<String> secondRequestThreads(int port) throws Exception {
        List<String> threads = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            String[] handledOn = twoPipelinedRequests(port);
            assertThat(handledOn[0]).isNotEqualTo(COMPLETER);
            threads.add(handledOn[1]);
        }
        return threads;
    }

    /** A server whose one handler answers, from the completer thread, with the name of the thread it ran on. */
    private int start(InvocationType handlers) throws Exception {
        ServerThreadPool pool = new ServerThreadPool(16, 4, 60_000);
        pool.setName("test-pool");
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(handlers) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String thread = Thread.currentThread().getName();
                completer.execute(
                        () -> response.write(true, ByteBuffer.wrap(thread.getBytes(StandardCharsets.UTF_8)), callback));
                return true;
            }
        });
        server.start();
        return connector.getLocalPort();
    }

    private static String[] twoPipelinedRequests(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /first HTTP/1.1\r\nHost: test\r\n\r\n"
                            + "GET /second HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            String[] responses = received.toString(StandardCharsets.UTF_8).split("(?=HTTP/1\\.1 )");
            assertThat(responses).hasSize(2).allSatisfy(r -> assertThat(r).startsWith("HTTP/1.1 200 "));
            return new String[] {body(responses[0]), body(responses[1])};
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
