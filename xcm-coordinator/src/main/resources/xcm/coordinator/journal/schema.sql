-- XCM coordinator journal. Portable SQL: the same statements run on H2 and PostgreSQL.
-- Statements are separated by semicolons at line ends; the journal runs each on start.

CREATE TABLE IF NOT EXISTS xcm_operation (
  id            VARCHAR(64)   PRIMARY KEY,
  kind          VARCHAR(16)   NOT NULL,
  summary       VARCHAR(1024) NOT NULL,
  requested_by  VARCHAR(512)  NOT NULL,
  dry_run       BOOLEAN       NOT NULL,
  op_state      VARCHAR(16)   NOT NULL,
  started_at    BIGINT        NOT NULL,
  finished_at   BIGINT,
  errors        VARCHAR(8000)
);

CREATE TABLE IF NOT EXISTS xcm_move (
  operation_id     VARCHAR(64)   NOT NULL,
  move_index       INT           NOT NULL,
  domain_name      VARCHAR(512)  NOT NULL,
  domain_uuid      VARCHAR(64)   NOT NULL,
  from_host        VARCHAR(255)  NOT NULL,
  from_url         VARCHAR(1024) NOT NULL,
  to_host          VARCHAR(255)  NOT NULL,
  to_url           VARCHAR(1024) NOT NULL,
  phase            VARCHAR(16)   NOT NULL,
  agent_migration  VARCHAR(64),
  attempts         INT           NOT NULL,
  error            VARCHAR(4000),
  updated_at       BIGINT        NOT NULL,
  PRIMARY KEY (operation_id, move_index)
);

CREATE TABLE IF NOT EXISTS xcm_host_mode (
  host        VARCHAR(255) PRIMARY KEY,
  host_mode   VARCHAR(16)  NOT NULL,
  updated_at  BIGINT       NOT NULL
);

CREATE TABLE IF NOT EXISTS xcm_audit (
  at         BIGINT        NOT NULL,
  door       VARCHAR(32)   NOT NULL,
  principal  VARCHAR(512)  NOT NULL,
  action     VARCHAR(2000) NOT NULL,
  result     VARCHAR(4000) NOT NULL
);

CREATE INDEX IF NOT EXISTS xcm_audit_at ON xcm_audit (at);

-- Alerts whose action the webhook started (alert_key: a digest of fingerprint, host, action and
-- start time), so that a restarted coordinator does not start the same alert's action again.
CREATE TABLE IF NOT EXISTS xcm_alert_action (
  alert_key     VARCHAR(64)  PRIMARY KEY,
  operation_id  VARCHAR(64)  NOT NULL,
  started_at    BIGINT       NOT NULL
);

-- Moves left UNSETTLED are looked for on every request that would move a domain.
CREATE INDEX IF NOT EXISTS xcm_move_phase ON xcm_move (phase);
