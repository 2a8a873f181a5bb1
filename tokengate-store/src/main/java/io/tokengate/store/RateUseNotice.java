package io.tokengate.store;

import io.tokengate.core.token.RateExchange.Use;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of the notifications in which the nodes of a cluster tell each other what they let
 * through: one entry per token, {@code tok_… 12 100/min} (id, requests, the rate limit as the
 * node knew it), entries separated by {@code ;}. A node's uses are split over as many
 * notifications as PostgreSQL's payload limit (8000 bytes) needs.
 */
final class RateUseNotice {
    /** Below PostgreSQL's 8000-byte payload limit; every character is ASCII. */
    static final int MAX_PAYLOAD = 7900;

    private RateUseNotice() {}

    /** The payloads that carry {@code uses}, each at most {@code maxPayload} characters. */
    static List<String> encode(List<Use> uses, int maxPayload) {
        List<String> entries = new ArrayList<>(uses.size());
        for (Use use : uses) {
            entries.add(use.id() + " " + use.requests() + " " + use.limit());
        }
        return CountNotice.split(entries, maxPayload);
    }

    /**
     * The uses in {@code payload}. An entry that cannot be read is left out: only nodes of this
     * cluster, with the database's credentials, can send on the channel.
     */
    static List<Use> decode(String payload) {
        List<Use> uses = new ArrayList<>();
        for (String entry : payload.split(";")) {
            read(entry).ifPresent(uses::add);
        }
        return uses;
    }

    private static Optional<Use> read(String entry) {
        String[] fields = entry.split(" ");
        if (fields.length != 3 || !TokenId.isWellFormed(fields[0])) {
            return Optional.empty();
        }
        try {
            long requests = Long.parseLong(fields[1]);
            Optional<RateLimit> limit = RateLimit.parse(fields[2]);
            if (requests < 1 || limit.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Use(new TokenId(fields[0]), limit.get(), requests));
        } catch (IllegalArgumentException e) { // not a number, or not a rate limit
            return Optional.empty();
        }
    }
}
