-- Bulwark idempotency records (resilience-store-jdbc), PostgreSQL 12 or later.
-- Run it with Flyway or Liquibase (copy it into a migration) or by hand; or call
-- JdbcIdempotencyStore.createTableIfMissing(). To use another table name, replace
-- bulwark_idempotency everywhere below and pass the name to the store's builder.
--
-- Times are the database's own (statement_timestamp()); the application never writes one.
-- key_hash and fingerprint are SHA-256 hex digests, owner_token 128 random bits in hex:
-- raw idempotency keys never reach the table.
CREATE TABLE IF NOT EXISTS bulwark_idempotency (
    key_hash         VARCHAR(64)  NOT NULL PRIMARY KEY,
    fingerprint      VARCHAR(64)  NOT NULL,
    owner_token      VARCHAR(32)  NOT NULL,
    fencing_token    BIGINT       NOT NULL,
    completed        BOOLEAN      NOT NULL,
    lease_expires_at TIMESTAMPTZ  NOT NULL,
    expires_at       TIMESTAMPTZ  NOT NULL,
    result           BYTEA
);

-- purgeExpired() walks this index from the oldest expiry.
CREATE INDEX IF NOT EXISTS bulwark_idempotency_expires_at_idx ON bulwark_idempotency (expires_at);
