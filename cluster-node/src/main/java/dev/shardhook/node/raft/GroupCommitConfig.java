package dev.shardhook.node.raft;

import java.time.Duration;

/**
 * How submissions share Raft entries (see {@link dev.shardhook.node.NodeSettings}).
 *
 * @param groupCommitMaxJobs most jobs in one entry
 * @param groupCommitMaxDelay longest a submission waits for others to fill its entry
 * @param groupCommitMaxInFlight entries proposed and not yet committed
 * @param commitTimeout longest a request waits for its entry to commit
 */
public record GroupCommitConfig(
    int groupCommitMaxJobs,
    Duration groupCommitMaxDelay,
    int groupCommitMaxInFlight,
    Duration commitTimeout) {}
