-- Audit records lose their four secondary indexes. Each batch the writer inserts takes its ids
-- from one block (batch number << 20, then the records in time order) and also writes, for every
-- subject a listing can filter on ('*' for all records, 't:' + token id, 'u:' + user key) and
-- every minute of event time in the batch, one row of audit_batches: which ids hold that
-- subject's records of that minute, and their earliest and latest time. A page of the log reads
-- these rows newest first and then only the id ranges they name, through the primary key.
-- An insert then updates one B-tree instead of five (about twice the records per second on H2;
-- see bench/README.md), and a listing reads at most a batch of records per row it needs.
CREATE SEQUENCE audit_batch_ids START WITH 1048576 CACHE 32;

CREATE TABLE audit_batches (
    subject  VARCHAR(300)                NOT NULL,
    max_time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    batch_id BIGINT                      NOT NULL,
    min_time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    first_id BIGINT                      NOT NULL,
    last_id  BIGINT                      NOT NULL,
    PRIMARY KEY (subject, max_time, batch_id)
);
-- Retention finds the oldest rows by their earliest record.
CREATE INDEX audit_batches_age ON audit_batches (min_time);

-- The records written before: batches of 1000 ids, by minute, as the writer would have made them.
INSERT INTO audit_batches (subject, max_time, batch_id, min_time, first_id, last_id)
SELECT subject, MAX(event_time), chunk, MIN(event_time), MIN(id), MAX(id)
FROM (
    SELECT '*' AS subject, id / 1000 AS chunk, DATE_TRUNC('MINUTE', event_time) AS of_minute, id, event_time
    FROM audit_events
    UNION ALL
    SELECT 't:' || token_id, id / 1000, DATE_TRUNC('MINUTE', event_time), id, event_time
    FROM audit_events WHERE token_id IS NOT NULL
    UNION ALL
    SELECT 'u:' || basic_user_key, id / 1000, DATE_TRUNC('MINUTE', event_time), id, event_time
    FROM audit_events WHERE basic_user_key IS NOT NULL
    UNION ALL
    SELECT 'u:' || effective_user_key, id / 1000, DATE_TRUNC('MINUTE', event_time), id, event_time
    FROM audit_events
    WHERE effective_user_key IS NOT NULL AND (basic_user_key IS NULL OR effective_user_key <> basic_user_key)
) AS subjects
GROUP BY subject, chunk, of_minute;

DROP INDEX audit_events_time;
DROP INDEX audit_events_token;
DROP INDEX audit_events_basic_user;
DROP INDEX audit_events_effective_user;
