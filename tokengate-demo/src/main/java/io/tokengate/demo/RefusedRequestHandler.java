package io.tokengate.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for the demo. Jetty answers some requests itself before the demo sees
 * them: a target it cannot parse (one that climbs above the root, {@code %00} or a bad
 * percent-escape in the path) or an absolute target naming another host. Those are still
 * recorded, with what Jetty kept of them (for an unparseable request line, method {@code BAD},
 * path {@code /badMessage}, no headers), so that "the upstream saw nothing" stays true only when
 * nothing arrived. The answer is Jira-shaped JSON, like every other answer of the demo.
 */
final class RefusedRequestHandler implements Request.Handler {
    private static final BodyReader.Body NO_BODY = BodyReader.Body.empty();

    private final Recorder recorder;

    RefusedRequestHandler(Recorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getAttribute(Recorder.RECORDED) == null) {
            recorder.record(request, NO_BODY, recorder.now());
        }
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code ? code : 500;
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        String text = message == null ? "Request refused" : message.toString();
        byte[] body = JiraJson.MAPPER
                .writeValueAsString(JiraJson.error("The demo Jira refused the request: " + text))
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
