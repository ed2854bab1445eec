-- Job history (README, "Job history"). Runs on H2 (PostgreSQL mode) and PostgreSQL.
-- ${textOrder} makes ids compare byte by byte (COLLATE "C" on PostgreSQL), as the node's RocksDB
-- list indexes order them, so a list page merges the two in one order.
CREATE TABLE history_jobs (
  tenant VARCHAR(128) ${textOrder} NOT NULL,
  job_id VARCHAR(128) ${textOrder} NOT NULL,
  shard VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL,
  url TEXT NOT NULL,
  host VARCHAR(253) NOT NULL,
  method VARCHAR(16) NOT NULL,
  idempotency_key VARCHAR(256),
  created_at_ms BIGINT NOT NULL,
  finished_at_ms BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  job_json TEXT NOT NULL,
  job_record BYTEA NOT NULL,
  export_index BIGINT NOT NULL,
  PRIMARY KEY (tenant, job_id)
);

CREATE INDEX history_jobs_by_created ON history_jobs (shard, tenant, created_at_ms, job_id);
CREATE INDEX history_jobs_by_status ON history_jobs (shard, tenant, status, created_at_ms);
CREATE INDEX history_jobs_by_host ON history_jobs (shard, tenant, host, created_at_ms);
CREATE INDEX history_jobs_by_finished ON history_jobs (shard, finished_at_ms);

CREATE TABLE history_attempts (
  tenant VARCHAR(128) ${textOrder} NOT NULL,
  job_id VARCHAR(128) ${textOrder} NOT NULL,
  number INTEGER NOT NULL,
  started_at_ms BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  status_code INTEGER,
  error TEXT,
  response_headers TEXT,
  response_body TEXT,
  response_truncated BOOLEAN,
  PRIMARY KEY (tenant, job_id, number),
  FOREIGN KEY (tenant, job_id) REFERENCES history_jobs (tenant, job_id) ON DELETE CASCADE
);

CREATE TABLE history_cursor (
  shard VARCHAR(64) NOT NULL PRIMARY KEY,
  applied_index BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
