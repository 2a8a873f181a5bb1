package io.tokengate.store;

import io.tokengate.core.cluster.SharedCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of the notifications that carry {@link SharedCounts}: {@code key count} entries
 * separated by {@code ;}, split over as many notifications as PostgreSQL's payload limit needs.
 */
final class CountNotice {
    /** Below PostgreSQL's 8000-byte payload limit; every character is ASCII. */
    static final int MAX_PAYLOAD = 7900;

    private CountNotice() {}

    /** The payloads that carry {@code counts}, each at most {@code maxPayload} characters; keys that cannot be carried are left out. */
    static List<String> encode(Map<String, Long> counts, int maxPayload) {
        List<String> entries = new ArrayList<>();
        counts.forEach((key, count) -> {
            if (isKey(key) && count != null && count >= 1) {
                entries.add(key + " " + count);
            }
        });
        return split(entries, maxPayload);
    }

    /**
     * {@code entries} joined by {@code ;} into as few payloads of at most {@code maxPayload}
     * characters as they fit in, none cut.
     */
    static List<String> split(List<String> entries, int maxPayload) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        for (String entry : entries) {
            if (payload.length() > 0 && payload.length() + 1 + entry.length() > maxPayload) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            if (payload.length() > 0) {
                payload.append(';');
            }
            payload.append(entry);
        }
        if (payload.length() > 0) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /** The counts in {@code payload}; an entry that cannot be read is left out. */
    static Map<String, Long> decode(String payload) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String entry : payload.split(";")) {
            String[] fields = entry.split(" ");
            if (fields.length != 2 || !isKey(fields[0])) {
                continue;
            }
            try {
                long count = Long.parseLong(fields[1]);
                if (count >= 1) {
                    counts.merge(fields[0], count, Long::sum);
                }
            } catch (NumberFormatException e) {
                // not a count: left out
            }
        }
        return counts;
    }

    static boolean isKey(String key) {
        if (key == null || key.isEmpty() || key.length() > SharedCounts.MAX_KEY) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c == ';' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
