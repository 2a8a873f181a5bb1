-- Secure mode belongs to the database, not to one node. A node started with
-- token.secure.mode=true records it here; every node then follows it, whatever its own setting:
-- it stores no secret copy, reveals none and edits nothing. Without this row, a node left in
-- standard mode kept storing revealable secrets beside nodes in secure mode (the cluster review).
-- Only `tokengate db leave-secure-mode` deletes the row.
CREATE TABLE secure_mode (
    id    INTEGER PRIMARY KEY,
    since TIMESTAMP WITH TIME ZONE NOT NULL,
    node  VARCHAR(64) NOT NULL,
    CONSTRAINT secure_mode_single_row CHECK (id = 1)
);
