-- Named queues (README, "Queues"): the queue of each exported job, for GET /jobs?queue=. Jobs
-- exported before queues existed were all in the default queue.
ALTER TABLE history_jobs ADD COLUMN queue VARCHAR(64) NOT NULL DEFAULT 'default';

CREATE INDEX history_jobs_by_queue ON history_jobs (shard, tenant, queue, created_at_ms);
