package io.tokengate.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Dispatches a request to {@code handler} only when it arrived on the named connector. */
final class OnConnector extends Handler.Wrapper {
    private final String connector;

    OnConnector(String connector, Handler handler) {
        super(handler);
        this.connector = connector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return connector.equals(request.getConnectionMetaData().getConnector().getName())
                && super.handle(request, response, callback);
    }
}
