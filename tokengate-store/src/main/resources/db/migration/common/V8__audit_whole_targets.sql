-- The audit kept the first 2048 characters of a path and 4096 of a query, so a client could pad a
-- query and hide the parameters after the padding (jql=..., past 4096 characters of filler) from
-- the record of a request that was forwarded whole. A request's head is at most 16 KiB (the
-- gateway's requestHeaderSize), so columns of 16384 characters hold any target it forwards.
-- Widening a VARCHAR rewrites no rows, in H2 or in PostgreSQL.
ALTER TABLE audit_events ALTER COLUMN path SET DATA TYPE VARCHAR(16384);
ALTER TABLE audit_events ALTER COLUMN query SET DATA TYPE VARCHAR(16384);
