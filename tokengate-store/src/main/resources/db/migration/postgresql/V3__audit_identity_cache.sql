-- Nothing to change on PostgreSQL; this keeps the migration versions of both databases in step.
-- On H2 this version makes audit ids come from a cache of 10 000 (see ../h2/V3), because H2 writes
-- a chunk each time an identity sequence is persisted. A PostgreSQL sequence is WAL-logged 32
-- values at a time and costs no page write, and a sequence cache there would be per session, so
-- that ids from different pooled connections would no longer increase with time.
SELECT 1;
