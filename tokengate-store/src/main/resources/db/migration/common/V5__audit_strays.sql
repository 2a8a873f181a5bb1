-- A cluster upgraded node by node has nodes of an older version writing audit records for a
-- while: ids from the identity column (below 2^40, the first id of batch 2^20) and no spans, so
-- listings would not find them. Newer nodes adopt such records (JdbcAuditLog.adoptStrays): each
-- pass builds spans for those up to the highest id the previous pass saw, one pass behind, so that
-- a batch an older node commits late, with lower ids, is not passed over.
CREATE TABLE audit_strays (
    id         INTEGER PRIMARY KEY,
    adopted_to BIGINT NOT NULL,
    seen_to    BIGINT NOT NULL
);

INSERT INTO audit_strays (id, adopted_to, seen_to)
VALUES (
    1,
    COALESCE((SELECT MAX(last_id) FROM audit_batches WHERE last_id < 1099511627776), 0),
    COALESCE((SELECT MAX(id) FROM audit_events WHERE id < 1099511627776), 0)
);
