package dev.shardhook.node.job;

import java.util.Objects;

/**
 * A bulk replay as the log and the store keep it (README, "Replaying failed jobs"): its filter,
 * when the leader started it, its progress and where its walk of the list index stands. Replicated
 * state: only {@code applyTransaction} changes it, so a new leader resumes from {@link #position}.
 *
 * @param id scoped operation id ({@code tenant/op_…})
 * @param status jobs in this state are taken: {@link JobState#FAILED} or {@link JobState#CANCELLED}
 * @param host only jobs whose URL names this host (lower case), or null
 * @param createdAfter only jobs created after this time (epoch ms, exclusive), or null
 * @param createdBefore only jobs created before this time (epoch ms, exclusive), or null
 * @param idempotencyKey only the job of this key (the tenant's own, unscoped), or null
 * @param createdAtMs leader's clock when the operation started
 * @param finishedAtMs when the last page was taken, or null while it runs
 * @param replayed jobs moved back to pending
 * @param skipped jobs matched but no longer replayable (or gone) when their page was applied
 * @param position the last job of the pages taken so far (the walk goes on just older), or null
 *     before the first page
 */
public record OperationRecord(
    String id,
    JobState status,
    String host,
    Long createdAfter,
    Long createdBefore,
    String idempotencyKey,
    long createdAtMs,
    Long finishedAtMs,
    long replayed,
    long skipped,
    JobQuery.Position position) {

  /** An operation just started at {@code atMs}. */
  public static OperationRecord started(OperationRecord draft, long atMs) {
    return new OperationRecord(
        draft.id,
        draft.status,
        draft.host,
        draft.createdAfter,
        draft.createdBefore,
        draft.idempotencyKey,
        atMs,
        null,
        0,
        0,
        null);
  }

  public boolean running() {
    return finishedAtMs == null;
  }

  /** Whether {@code other} asks for the same jobs (the idempotency check of a second request). */
  public boolean sameFilter(OperationRecord other) {
    return status == other.status
        && Objects.equals(host, other.host)
        && Objects.equals(createdAfter, other.createdAfter)
        && Objects.equals(createdBefore, other.createdBefore)
        && Objects.equals(idempotencyKey, other.idempotencyKey);
  }

  /**
   * The next page of jobs to take: the filter, only jobs created by the operation's start (jobs
   * failing later are not swept in), from {@link #position} on.
   */
  public JobQuery nextPage(int limit) {
    String tenant = TenantIds.tenantOf(id);
    long startBound = createdAtMs == Long.MAX_VALUE ? Long.MAX_VALUE : createdAtMs + 1;
    long before = createdBefore == null ? startBound : Math.min(createdBefore, startBound);
    return new JobQuery(
        tenant,
        status,
        host,
        createdAfter,
        before,
        idempotencyKey == null ? null : TenantIds.scoped(tenant, idempotencyKey),
        limit,
        position);
  }

  /** This operation after one more page was applied. */
  public OperationRecord advanced(
      long moreReplayed, long moreSkipped, JobQuery.Position to, Long finishedAt) {
    return new OperationRecord(
        id,
        status,
        host,
        createdAfter,
        createdBefore,
        idempotencyKey,
        createdAtMs,
        finishedAt,
        replayed + moreReplayed,
        skipped + moreSkipped,
        to);
  }
}
