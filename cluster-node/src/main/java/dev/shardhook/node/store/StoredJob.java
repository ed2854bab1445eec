package dev.shardhook.node.store;

import dev.shardhook.node.job.JobRecord;

/**
 * A job record as kept in the {@code jobs} column family.
 *
 * @param job the job
 * @param fingerprint hash of the request that created it, to tell replays from conflicting reuse
 */
public record StoredJob(JobRecord job, String fingerprint) {}
