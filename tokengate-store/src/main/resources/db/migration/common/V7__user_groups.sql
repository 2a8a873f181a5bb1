-- The groups of a local user, which runas.groups names (matched without regard to case).
CREATE TABLE user_groups (
    user_id    BIGINT       NOT NULL,
    group_name VARCHAR(255) NOT NULL,
    PRIMARY KEY (user_id, group_name),
    CONSTRAINT user_groups_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
