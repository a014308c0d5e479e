-- Bulwark idempotency records (resilience-store-jdbc), H2 2.x.
-- Run it by hand or with a migration tool, or call JdbcIdempotencyStore.createTableIfMissing().
-- To use another table name, replace bulwark_idempotency everywhere below.
CREATE TABLE IF NOT EXISTS bulwark_idempotency (
    key_hash         VARCHAR(64)              NOT NULL PRIMARY KEY,
    fingerprint      VARCHAR(64)              NOT NULL,
    owner_token      VARCHAR(32)              NOT NULL,
    fencing_token    BIGINT                   NOT NULL,
    completed        BOOLEAN                  NOT NULL,
    lease_expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    result           VARBINARY
);

CREATE INDEX IF NOT EXISTS bulwark_idempotency_expires_at_idx ON bulwark_idempotency (expires_at);
