package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request whose body was read for inspection: it replays exactly the inspected bytes, so that
 * what restrictions saw is what the upstream receives.
 */
final class BufferedRequest extends Request.Wrapper {
    private final Content.Source body;

    BufferedRequest(Request request, byte[] body) {
        super(request);
        this.body = Content.Source.from(ByteBuffer.wrap(body));
    }

    @Override
    public Content.Chunk read() {
        return body.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        body.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        body.fail(failure);
    }
}
