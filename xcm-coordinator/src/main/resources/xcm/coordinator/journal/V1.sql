-- XCM coordinator journal, schema version 1: the journal as XCM made it before its schema had
-- versions. Every statement is idempotent, so that a journal made by any earlier XCM is brought to
-- version 1 by running it. Portable SQL: the same statements run on H2 and PostgreSQL.
-- Statements are separated by semicolons at line ends.
-- States, phases and kinds are stored by name; {{Enum}} stands for the quoted names of that Java
-- enum, so that each CHECK constraint allows exactly what the code can write.

-- An operation's kind and that kind's parameters (domain_name: a migration's domain; host: the
-- drained host or a migration's destination; policy: a balance's policy as asked).
CREATE TABLE IF NOT EXISTS xcm_operation (
  id            VARCHAR(64)   PRIMARY KEY,
  kind          VARCHAR(16)   NOT NULL CHECK (kind IN ({{OperationType}})),
  domain_name   VARCHAR(512),
  host          VARCHAR(255),
  policy        VARCHAR(1024),
  summary       VARCHAR(1024) NOT NULL,
  requested_by  VARCHAR(512)  NOT NULL,
  dry_run       BOOLEAN       NOT NULL,
  op_state      VARCHAR(16)   NOT NULL CHECK (op_state IN ({{OperationState}})),
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
  phase            VARCHAR(16)   NOT NULL CHECK (phase IN ({{MovePhase}})),
  agent_migration  VARCHAR(64),
  attempts         INT           NOT NULL,
  error            VARCHAR(4000),
  updated_at       BIGINT        NOT NULL,
  PRIMARY KEY (operation_id, move_index)
);

CREATE TABLE IF NOT EXISTS xcm_host_mode (
  host        VARCHAR(255) PRIMARY KEY,
  host_mode   VARCHAR(16)  NOT NULL CHECK (host_mode IN ({{HostState}})),
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

-- A journal written before the kinds' parameters had columns: they are added, and filled in from
-- the summary (drain, balance) and the move (migrate) the same version wrote.
ALTER TABLE xcm_operation ADD COLUMN IF NOT EXISTS domain_name VARCHAR(512);
ALTER TABLE xcm_operation ADD COLUMN IF NOT EXISTS host VARCHAR(255);
ALTER TABLE xcm_operation ADD COLUMN IF NOT EXISTS policy VARCHAR(1024);
UPDATE xcm_operation SET host = SUBSTRING(summary FROM 7)
  WHERE kind = 'DRAIN' AND host IS NULL AND summary LIKE 'drain %';
UPDATE xcm_operation SET policy = SUBSTRING(summary FROM 9)
  WHERE kind = 'BALANCE' AND policy IS NULL AND summary LIKE 'balance %';
UPDATE xcm_operation
  SET domain_name = (SELECT m.domain_name FROM xcm_move m
                     WHERE m.operation_id = xcm_operation.id AND m.move_index = 0),
      host = (SELECT m.to_host FROM xcm_move m
              WHERE m.operation_id = xcm_operation.id AND m.move_index = 0)
  WHERE kind = 'MIGRATE' AND domain_name IS NULL;

-- Each domain's libvirt definition as last collected, with the host it last ran on: a failed
-- host's domains are restarted elsewhere from here, also after the coordinator restarted.
CREATE TABLE IF NOT EXISTS xcm_domain_definition (
  domain_uuid   VARCHAR(64)   PRIMARY KEY,
  domain_name   VARCHAR(512)  NOT NULL,
  host          VARCHAR(255)  NOT NULL,
  running       BOOLEAN       NOT NULL,
  memory_bytes  BIGINT        NOT NULL,
  vcpus         INTEGER       NOT NULL,
  rules         VARCHAR(4000) NOT NULL,
  digest        VARCHAR(64)   NOT NULL,
  definition    VARCHAR(262144) NOT NULL,
  seen_at       BIGINT        NOT NULL
);

-- Hosts fenced (powered off, or confirmed down by an operator): a coordinator that restarts keeps
-- them FAILED, so that one powered on again has its stale copies removed before it takes work.
CREATE TABLE IF NOT EXISTS xcm_host_fenced (
  host        VARCHAR(255)  PRIMARY KEY,
  url         VARCHAR(1024) NOT NULL,
  reason      VARCHAR(4000) NOT NULL,
  fenced_at   BIGINT        NOT NULL
);
