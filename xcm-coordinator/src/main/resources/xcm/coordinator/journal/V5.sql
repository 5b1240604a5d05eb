-- XCM coordinator journal, schema version 5: settings an operator changes at run time (the
-- continuous balancer's level and threshold, power saving on or off), so that they outlive a
-- restart and pass to the coordinator that takes over.
CREATE TABLE IF NOT EXISTS xcm_setting (
  name           VARCHAR(64)   PRIMARY KEY,
  setting_value  VARCHAR(255)  NOT NULL,
  updated_at     BIGINT        NOT NULL
);
