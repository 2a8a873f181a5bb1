-- Sign-in sessions of the admin plane, shared by every node of a cluster. A session is found by
-- the SHA-256 of its cookie value, so that reading this table does not give anyone a usable
-- cookie. Expiry: idle (last_seen_at + idle timeout, judged by the server) and absolute
-- (expires_at). Same on H2 and PostgreSQL.
CREATE TABLE admin_sessions (
    id_digest    CHAR(64)     NOT NULL PRIMARY KEY,
    user_name    VARCHAR(255) NOT NULL,
    user_key     VARCHAR(255) NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    source       VARCHAR(16)  NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT admin_sessions_role_known CHECK (role IN ('ADMIN', 'USER'))
);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);
CREATE INDEX admin_sessions_user ON admin_sessions (user_key);
