package io.tokengate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * Which errors the data plane's error handler hands on to be audited: those Jetty answers before a
 * handler saw the request, not those of a request a handler took and then failed before its
 * response was committed, which the handler audits itself, under its own request id.
 */
class JsonErrorHandlerIT {
    private final List<String> handedOn = new CopyOnWriteArrayList<>();

    @Test
    void aRequestTheHandlerTookKeepsItsIdAndIsNotAuditedTwice() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setName("data");
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                request.setAttribute(RequestIds.ATTRIBUTE, "handler-id");
                if (request.getHttpURI().getPath().equals("/fails")) {
                    // The upstream client failed before anything was written: Jetty answers 500.
                    callback.failed(new IllegalStateException("upstream proxy did not handle http://jira/secret"));
                    return true;
                }
                return false; // not handled: Jetty answers 404 itself
            }
        });
        server.setErrorHandler(new JsonErrorHandler("data", (request, id, status, reason) -> handedOn.add(id)));
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            HttpResponse<String> failed = client.send(
                    HttpRequest.newBuilder(base.resolve("/fails")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.headers().firstValue("X-Request-Id"))
                    .as("the handler's id")
                    .contains("handler-id");
            assertThat(failed.body()).contains("\"requestId\":\"handler-id\"").doesNotContain("secret");
            assertThat(handedOn).as("the handler audits its own request").isEmpty();
        } finally {
            server.stop();
        }
    }
}
