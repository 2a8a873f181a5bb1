package io.tokengate.core.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of audit records, newest first, and the cursor of the next page if there is one. */
public record AuditPage(List<AuditEvent> events, Optional<String> nextCursor) {
    public AuditPage {
        events = List.copyOf(events);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
