package io.tokengate.server.admin;

import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.gateway.RefusalWarning;
import io.tokengate.server.http.ErrorResponse;
import io.tokengate.server.http.RequestIds;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin plane answers only to its own names ({@link AdminConfig#answersTo}). Listening on
 * 127.0.0.1 does not keep web pages out: a page from a name whose address an attacker sets to
 * 127.0.0.1 once it has loaded (DNS rebinding) is, to the browser, of the same origin as the admin
 * plane, and could read {@code /metrics}, try passwords, and with one sign in. Its requests carry
 * that name in {@code Host}, which is refused here with 421. The health endpoints answer to any
 * name: they say only UP or DOWN, and probes address a node as they can.
 */
public final class HostCheck extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(HostCheck.class);

    private final AdminConfig config;
    /** A page that keeps trying would fill the log: a line now and then, with a count. */
    private final RefusalWarning refused =
            new RefusalWarning(LOG, HttpStatus.MISDIRECTED_REQUEST_421, "admin plane refused a name not its own");

    public HostCheck(AdminConfig config, Handler handler) {
        super(handler);
        this.config = config;
        LOG.info("admin plane answers to {}", config.describeNames());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHttpURI().getHost();
        if (config.answersTo(host) || Request.getPathInContext(request).startsWith("/health/")) {
            return super.handle(request, response, callback);
        }
        String requestId = RequestIds.next();
        refused.refused(requestId, "Host " + host + " from " + Request.getRemoteAddr(request));
        response.getHeaders().put("X-Request-Id", requestId);
        ErrorResponse.send(
                response,
                callback,
                HttpStatus.MISDIRECTED_REQUEST_421,
                "This admin plane does not answer to the name " + host
                        + ": use its IP address, localhost or admin.public.url, or add the name to"
                        + " admin.allowed.hosts.",
                requestId);
        return true;
    }
}
