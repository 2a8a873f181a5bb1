package io.tokengate.server.admin;

import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.RequestIds;
import io.tokengate.store.Store;
import io.tokengate.store.StoreHealth;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The admin plane's requests: {@code /health/live} and {@code /health/ready}. */
public final class AdminHandler extends Handler.Abstract {
    private final Store store;

    public AdminHandler(Store store) {
        this.store = store;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/health/live" -> json(response, callback, HttpStatus.OK_200, "{\"status\":\"UP\"}");
            case "/health/ready" -> {
                StoreHealth health = store.health();
                json(
                        response,
                        callback,
                        health.ready() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                        "{\"status\":\"" + (health.ready() ? "UP" : "DOWN") + "\"}");
            }
            default -> ErrorResponse.send(
                    response, callback, HttpStatus.NOT_FOUND_404, "No such admin resource.", RequestIds.next());
        }
        return true;
    }

    private static void json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, body, callback);
    }
}
