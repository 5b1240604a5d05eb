-- XCM coordinator journal, schema version 2: leadership, and the alerts standbys keep.
-- The leader row: one row, the lease of the active
-- coordinator: its run's id (holder), name and Jolokia URL, the epoch its takeover raised, and
-- until when the lease holds, in milliseconds of the database's clock (the one clock every
-- coordinator shares). holder is NULL while no coordinator holds the lease.
CREATE TABLE IF NOT EXISTS xcm_leader (
  id           INT            PRIMARY KEY CHECK (id = 1),
  epoch        BIGINT         NOT NULL,
  holder       VARCHAR(64),
  holder_name  VARCHAR(255),
  holder_url   VARCHAR(1024),
  expires_at   BIGINT         NOT NULL
);

INSERT INTO xcm_leader (id, epoch, expires_at)
  SELECT 1, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM xcm_leader WHERE id = 1);

-- Alerts a standby received, kept until the active coordinator has acted on them (or refused
-- them); alert_key is the webhook's digest of fingerprint, host, action and start time.
CREATE TABLE IF NOT EXISTS xcm_alert_inbox (
  alert_key    VARCHAR(64)    PRIMARY KEY,
  alertname    VARCHAR(255)   NOT NULL,
  fingerprint  VARCHAR(64)    NOT NULL,
  action       VARCHAR(64)    NOT NULL,
  host         VARCHAR(255)   NOT NULL,
  policy       VARCHAR(1024)  NOT NULL,
  starts_at    VARCHAR(64)    NOT NULL,
  received_at  BIGINT         NOT NULL,
  received_by  VARCHAR(255)   NOT NULL
);
