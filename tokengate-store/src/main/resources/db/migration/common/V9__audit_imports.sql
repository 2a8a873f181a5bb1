-- A node that stops while the database is unreachable keeps the audit records it could not write
-- in a file under its home (AuditSpill), and writes them at its next start. Each file is written
-- in one transaction with its row here, keyed by the SHA-256 of its contents: a node that crashes
-- after the commit and before deleting the file, or two nodes sharing a home, write it only once.
CREATE TABLE audit_imports (
    digest      VARCHAR(64) PRIMARY KEY,
    file_name   VARCHAR(255) NOT NULL,
    records     INTEGER NOT NULL,
    imported_at TIMESTAMP WITH TIME ZONE NOT NULL
);
