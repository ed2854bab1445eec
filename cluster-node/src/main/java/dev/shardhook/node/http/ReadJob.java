package dev.shardhook.node.http;

import dev.shardhook.api.problem.JobAlreadyFinishedException;
import dev.shardhook.api.problem.JobNotFoundException;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.JobPaths;

/** {@code GET} and {@code DELETE /jobs/{id}}. */
record ReadJob(JobService jobs, ShardOwnership ownership) {

  void get(Exchange exchange) {
    String id = id(exchange);
    JobRecord job =
        Await.result(jobs.get(TenantIds.scoped(exchange.tenant(), id)))
            .orElseThrow(() -> new JobNotFoundException(id));
    exchange.sendJson(
        200, WireJobs.job(job, jobs.waitingFor(job).map(TenantIds::publicId).orElse(null)));
  }

  void cancel(Exchange exchange) {
    String id = id(exchange);
    CancelResult result = Await.result(jobs.cancel(TenantIds.scoped(exchange.tenant(), id)));
    switch (result.kind()) {
      case CANCELLED -> exchange.sendJson(200, WireJobs.job(result.job()));
      case ALREADY_FINISHED ->
          throw new JobAlreadyFinishedException(
              id, result.job() == null ? "final" : String.valueOf(result.job().state()));
      case NOT_FOUND -> throw new JobNotFoundException(id);
    }
  }

  // For another shard's id a 404 would lie: the job may well exist, where the proxies look for it.
  private String id(Exchange exchange) {
    String id = JobPaths.id(exchange);
    if (!ownership.owns(id) && !heldHere(jobs, exchange.tenant(), id)) {
      ownership.check(id);
    }
    return id;
  }

  /**
   * Whether this shard holds the job although its id is another shard's: an ordered job lives with
   * its key (README, "Ordering"). One read, only for ids the ring places elsewhere.
   */
  static boolean heldHere(JobService jobs, String tenant, String id) {
    return Await.result(jobs.get(TenantIds.scoped(tenant, id))).isPresent();
  }
}
