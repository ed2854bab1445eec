package dev.shardhook.node.store;

import dev.shardhook.api.Job;

/**
 * A job record as kept in the {@code jobs} column family.
 *
 * @param job the job as clients see it
 * @param fingerprint hash of the request that created it, to tell replays from conflicting reuse
 */
public record StoredJob(Job job, String fingerprint) {}
