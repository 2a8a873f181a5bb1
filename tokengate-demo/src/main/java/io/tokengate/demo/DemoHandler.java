package io.tokengate.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's one Jetty handler: reads the body, decides who the caller is, records the request,
 * and only then answers it: 404 outside {@code CONTEXT/rest/}, 401 without a valid identity, else
 * whatever the router's endpoint says.
 */
final class DemoHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(DemoHandler.class);
    private static final String NOT_AUTHENTICATED =
            "You are not authenticated. Authentication required to perform this operation.";

    private final String contextPath;
    private final Directory directory;
    private final int recordedBodyLimit;
    private final Recorder recorder;
    private final Router router;

    DemoHandler(DemoJira.Options options, Directory directory, Recorder recorder, Router router) {
        this.contextPath = options.contextPath();
        this.directory = directory;
        this.recordedBodyLimit = options.recordedBodyLimit();
        this.recorder = recorder;
        this.router = router;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Instant arrived = recorder.now();
        BodyReader.read(request, recordedBodyLimit, body -> {
            ReceivedRequest received = recorder.record(request, body, arrived);
            if (body.failure() != null) {
                callback.failed(body.failure());
                return;
            }
            try {
                answer(request, response, callback, received);
            } catch (Exception e) {
                LOG.warn("demo Jira failed on {} {}", received.method(), received.rawTarget(), e);
                if (response.isCommitted()) {
                    callback.failed(e);
                } else {
                    exchange(request, response, callback, received, List.of(), Map.of())
                            .fail(500, "The demo Jira failed: " + e);
                }
            }
        });
        return true;
    }

    private void answer(Request request, Response response, Callback callback, ReceivedRequest received)
            throws Exception {
        String rawPath = received.rawPath();
        if (!rawPath.startsWith(contextPath + "/rest/")) {
            exchange(request, response, callback, received, List.of(), Map.of()).fail(404, "No resource at " + rawPath);
            return;
        }
        List<String> path = Percent.segments(rawPath.substring(contextPath.length()));
        Map<String, List<String>> query = Percent.query(received.rawQuery());
        Exchange exchange = exchange(request, response, callback, received, path, query);
        if (received.effectiveUser() == null) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"demo\"");
            exchange.fail(401, NOT_AUTHENTICATED);
            return;
        }
        router.dispatch(exchange);
    }

    private Exchange exchange(
            Request request,
            Response response,
            Callback callback,
            ReceivedRequest received,
            List<String> path,
            Map<String, List<String>> query) {
        String base = "http://127.0.0.1:" + Request.getLocalPort(request) + contextPath;
        return new Exchange(request, response, callback, received, path, query, new JiraJson(base, directory));
    }
}
