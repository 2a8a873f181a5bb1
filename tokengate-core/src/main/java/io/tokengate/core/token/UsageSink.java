package io.tokengate.core.token;

import java.time.Instant;

/**
 * Port: receives token uses from the request path. Must never block and never fail the request:
 * implementations accumulate in memory and write in batches elsewhere.
 */
public interface UsageSink {
    UsageSink NONE = (id, at, clientIp) -> {};

    void recordUse(TokenId id, Instant at, String clientIp);
}
