-- Nimbus Auth audit trail (PostgreSQL, H2; plain SQL for others). One hash chain per node: line_no orders a
-- node's rows, line holds the record exactly as it was hashed (the chain value included), seq and request_id
-- are copies for lookups. Rows are only ever inserted: grant the application INSERT and SELECT, not UPDATE
-- or DELETE.
CREATE TABLE IF NOT EXISTS nimbus_audit_record (
  node_id    VARCHAR(64)    NOT NULL,
  line_no    BIGINT         NOT NULL,
  seq        BIGINT,
  request_id VARCHAR(64),
  line       VARCHAR(65535) NOT NULL,
  PRIMARY KEY (node_id, line_no)
);
CREATE INDEX IF NOT EXISTS nimbus_audit_record_request ON nimbus_audit_record (request_id);
