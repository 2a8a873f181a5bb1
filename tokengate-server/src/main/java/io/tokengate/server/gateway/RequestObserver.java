package io.tokengate.server.gateway;

/** Told how every data-plane request ended, once, for metrics. Must not block. */
public interface RequestObserver {
    /**
     * @param allowed whether the request was forwarded
     * @param status the status the client got
     * @param gatewayNanos time the gateway spent deciding (until forwarding, or until it answered)
     * @param upstreamNanos time from forwarding to the end of the response; -1 when not forwarded
     */
    void completed(boolean allowed, int status, long gatewayNanos, long upstreamNanos);

    RequestObserver NONE = (allowed, status, gatewayNanos, upstreamNanos) -> {};
}
