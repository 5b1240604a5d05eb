-- XCM coordinator journal, schema version 4: who the hosts are, shared by every coordinator, and an
-- operator's cancel of an operation.
-- When an operator cancelled a running operation: a coordinator that takes over does not continue
-- a drain that was cancelled.
ALTER TABLE xcm_operation ADD COLUMN IF NOT EXISTS cancelled_at BIGINT;

-- Who the hosts are. Only
-- the active coordinator writes these tables (under its lease); standbys follow them.
-- The registry row: a change counter every write raises in its own transaction (it is locked
-- until that transaction ends, so changes commit in the order of their versions and a reader that
-- asks "what changed after version N" misses none), and the fingerprint of the cluster authority
-- whose certificates the rows below name, recorded by the first coordinator that imported its
-- state directory.
CREATE TABLE IF NOT EXISTS xcm_registry (
  id           INT            PRIMARY KEY CHECK (id = 1),
  version      BIGINT         NOT NULL,
  authority    VARCHAR(128),
  imported_at  BIGINT
);

INSERT INTO xcm_registry (id, version)
  SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM xcm_registry WHERE id = 1);

-- Each enrolled host, bound to the certificate the authority issued it; version is the registry's
-- version when the row last changed.
CREATE TABLE IF NOT EXISTS xcm_enrolled (
  host          VARCHAR(255)   PRIMARY KEY,
  libvirt_uuid  VARCHAR(36)    NOT NULL UNIQUE,
  url           VARCHAR(1024)  NOT NULL,
  fingerprint   VARCHAR(128)   NOT NULL,
  serial        VARCHAR(64)    NOT NULL,
  certificate   VARCHAR(16384) NOT NULL,
  enrolled_at   BIGINT         NOT NULL,
  not_after     BIGINT         NOT NULL,
  version       BIGINT         NOT NULL
);

CREATE INDEX IF NOT EXISTS xcm_enrolled_version ON xcm_enrolled (version);

-- The certificates revoked (a removed host's), with the host they were issued to: a standby learns
-- from them which hosts left.
CREATE TABLE IF NOT EXISTS xcm_revoked (
  serial      VARCHAR(64)    PRIMARY KEY,
  host        VARCHAR(255)   NOT NULL,
  revoked_at  BIGINT         NOT NULL,
  version     BIGINT         NOT NULL
);

CREATE INDEX IF NOT EXISTS xcm_revoked_version ON xcm_revoked (version);

-- Agent URLs an operator added (addHost) or removed (removeHost): a removed one stays as a row with
-- removed = TRUE, so that a standby learns it left.
CREATE TABLE IF NOT EXISTS xcm_member (
  url      VARCHAR(1024)  PRIMARY KEY,
  removed  BOOLEAN        NOT NULL,
  version  BIGINT         NOT NULL
);

CREATE INDEX IF NOT EXISTS xcm_member_version ON xcm_member (version);

-- One-time enrolment tokens: the SHA-256 of each (never the token), the host it is for.
CREATE TABLE IF NOT EXISTS xcm_enrol_token (
  sha256       VARCHAR(64)    PRIMARY KEY,
  host         VARCHAR(255)   NOT NULL,
  issued_at    BIGINT         NOT NULL,
  expires_at   BIGINT         NOT NULL,
  redeemed_at  BIGINT
);
