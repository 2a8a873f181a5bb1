-- The nodes running with token.secure.mode=true, each with when it last said so (every minute). A
-- node set to secure mode turns it on again for the database within a minute of its being left,
-- so `tokengate db leave-secure-mode` first asks whether such a node runs, and refuses unless
-- forced. One row per process (a command run on a node's machine has the node's name, and must
-- not take its row away); a process deletes its row when it stops, and the row of one that
-- crashed stops counting once it is a few minutes old.
CREATE TABLE secure_mode_keepers (
    process VARCHAR(36) PRIMARY KEY,
    node    VARCHAR(64) NOT NULL,
    seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
