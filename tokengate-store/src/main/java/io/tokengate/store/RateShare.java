package io.tokengate.store;

import io.tokengate.core.cluster.SharedCounts;
import io.tokengate.core.token.RateExchange;
import io.tokengate.core.token.RateExchange.Use;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rate-limit use as {@link SharedCounts}, so that it travels like every other count the nodes add
 * up: one key per token and rate limit as the node knew it, {@code tok_…@100/min}, counting the
 * requests let through.
 */
final class RateShare implements SharedCounts {
    private static final char SEPARATOR = '@';

    private final RateExchange exchange;

    RateShare(RateExchange exchange) {
        this.exchange = exchange;
    }

    static String key(Use use) {
        return use.id() + String.valueOf(SEPARATOR) + use.limit();
    }

    @Override
    public Map<String, Long> drainLocal() {
        Map<String, Long> drained = new LinkedHashMap<>();
        for (Use use : exchange.drainLocal()) {
            drained.merge(key(use), use.requests(), Long::sum);
        }
        return drained;
    }

    /**
     * Charges what another node let through. A key that cannot be read is left out: only nodes of
     * this cluster, with the database's credentials, can send on the channel.
     */
    @Override
    public void addRemote(String key, long count) {
        read(key, count).ifPresent(exchange::chargeRemote);
    }

    static Optional<Use> read(String key, long count) {
        int at = key.indexOf(SEPARATOR);
        if (at < 0 || count < 1 || !TokenId.isWellFormed(key.substring(0, at))) {
            return Optional.empty();
        }
        try {
            return RateLimit.parse(key.substring(at + 1))
                    .map(limit -> new Use(new TokenId(key.substring(0, at)), limit, count));
        } catch (IllegalArgumentException e) { // not a rate limit
            return Optional.empty();
        }
    }
}
