-- A token's optional rate limit, in RateLimit's canonical form ("100/min"); NULL for none.
ALTER TABLE tokens ADD COLUMN rate_limit VARCHAR(32);
