package dev.shardhook.node.http;

import dev.shardhook.api.problem.JobNotFoundException;
import dev.shardhook.api.problem.JobNotReplayableException;
import dev.shardhook.api.problem.QueueFullException;
import dev.shardhook.api.problem.QuotaExceededException;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.JobPaths;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /jobs/{id}:replay} (README, "Replaying failed jobs"): a failed or cancelled job goes
 * back to pending with a fresh retry budget. It counts as a new pending job against the tenant's
 * quota and the shard's queue limit.
 */
record ReplayJob(JobService jobs, ShardOwnership ownership, TenantQuotas quotas, long maxPending) {

  void replay(Exchange exchange) {
    String id = JobPaths.replayId(exchange);
    if (!ownership.owns(id) && !ReadJob.heldHere(jobs, exchange.tenant(), id)) {
      ownership.check(id);
    }
    String scoped = TenantIds.scoped(exchange.tenant(), id);
    admit(exchange.tenant(), id, scoped);
    List<ReplayResult> results = Await.result(jobs.replay(List.of(scoped)));
    if (results.size() != 1) {
      throw new IllegalStateException("replay of one job gave " + results.size() + " results");
    }
    ReplayResult result = results.getFirst();
    switch (result.kind()) {
      case REPLAYED -> exchange.sendJson(200, WireJobs.job(result.job()));
      case NOT_REPLAYABLE -> throw notReplayable(id, result.job());
      case NOT_FOUND -> throw new JobNotFoundException(id);
      case QUEUE_FULL ->
          throw new QueueFullException(maxPending, Rejections.QUEUE_FULL_RETRY_AFTER);
    }
  }

  /**
   * The tenant's quota; a tenant at its quota still learns that the job is missing or not
   * replayable, which would not add a pending job.
   */
  private void admit(String tenant, String id, String scoped) {
    try {
      quotas.admit(tenant, 1);
    } catch (QuotaExceededException e) {
      Optional<JobRecord> job = Await.result(jobs.get(scoped));
      if (job.isEmpty()) {
        throw new JobNotFoundException(id);
      }
      if (!job.get().replayable()) {
        throw notReplayable(id, job.get());
      }
      throw e;
    }
  }

  private static JobNotReplayableException notReplayable(String id, JobRecord job) {
    return new JobNotReplayableException(id, String.valueOf(job.state()));
  }
}
