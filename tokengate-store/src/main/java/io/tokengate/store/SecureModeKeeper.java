package io.tokengate.store;

import java.time.Instant;

/**
 * A node running with {@code token.secure.mode=true}, which turns secure mode on again for the
 * database within a minute of its being left, and when it last said it runs.
 */
public record SecureModeKeeper(String node, Instant seenAt) {
    /** As messages and audit records name it: {@code node a (last heard at 2026-…Z)}. */
    public String described() {
        return "node " + node + " (last heard at " + seenAt + ")";
    }
}
