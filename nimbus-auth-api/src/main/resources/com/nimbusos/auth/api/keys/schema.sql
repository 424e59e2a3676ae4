-- Nimbus Auth key store schema (PostgreSQL, H2; plain SQL for others). Keys are stored only as hashes.
-- Times are microseconds since the epoch (UTC), so every database stores them alike.
CREATE TABLE IF NOT EXISTS nimbus_api_key (
  key_id       VARCHAR(64)   NOT NULL PRIMARY KEY,
  key_hash     VARCHAR(64)   NOT NULL UNIQUE,
  owner_id     VARCHAR(200)  NOT NULL,
  environment  VARCHAR(16)   NOT NULL,
  scopes       VARCHAR(2000) NOT NULL,
  last4        VARCHAR(4)    NOT NULL,
  created_at   BIGINT        NOT NULL,
  expires_at   BIGINT,
  revoked_at   BIGINT,
  last_used_at BIGINT
);
CREATE TABLE IF NOT EXISTS nimbus_api_key_owner (
  owner_id VARCHAR(200) NOT NULL PRIMARY KEY,
  disabled BOOLEAN      NOT NULL
);
-- One row whose revision every change advances, in the change's own transaction: nodes poll it.
CREATE TABLE IF NOT EXISTS nimbus_api_key_revision (
  id       INT    NOT NULL PRIMARY KEY,
  revision BIGINT NOT NULL
);
INSERT INTO nimbus_api_key_revision (id, revision)
  SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM nimbus_api_key_revision WHERE id = 1);
