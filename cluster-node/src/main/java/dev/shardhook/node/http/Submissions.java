package dev.shardhook.node.http;

import dev.shardhook.api.JobRequest;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.problem.QuotaExceededException;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.job.TenantIds;
import java.util.List;

/**
 * What single and batch submissions share: checking a request, committing jobs to the shard,
 * judging each result and counting it in the job metrics.
 */
record Submissions(
    JobService jobs,
    JobRequestValidator validator,
    TenantQuotas quotas,
    Rejections rejections,
    JobMetrics metrics) {

  /**
   * See {@link JobRequestValidator#toNewJob}; the job comes back in {@code tenant}'s namespace
   * ({@link TenantIds}).
   */
  NewJob check(JobRequest request, String idempotencyKeyHeader, String tenant) {
    return TenantIds.scoped(tenant, validator.toNewJob(request, idempotencyKeyHeader, tenant));
  }

  /** See {@link TenantQuotas#admit}. */
  void admit(String tenant, int jobs) {
    quotas.admit(tenant, jobs);
  }

  /**
   * As {@link #admit} for one job, except that a resubmission of a job the shard holds goes
   * through: it creates nothing, and its client needs the replay answer to stop retrying.
   */
  void admit(String tenant, NewJob job) {
    try {
      quotas.admit(tenant, 1);
    } catch (QuotaExceededException e) {
      if (Await.result(jobs.get(job.id())).isEmpty()) {
        throw e;
      }
    }
  }

  /** Commits {@code batch} and waits for one result per job, in order. */
  List<SubmitResult> commit(List<NewJob> batch) {
    List<SubmitResult> results = Await.result(jobs.submit(batch));
    if (results.size() != batch.size()) {
      throw new IllegalStateException(
          "submit of " + batch.size() + " jobs gave " + results.size() + " results");
    }
    return results;
  }

  /**
   * Counts a created or replayed job, or returns the problem a refused one answers with (not
   * counted yet: see {@link #rejected}).
   */
  ProblemException judge(SubmitResult result, NewJob job) {
    switch (result.kind()) {
      case CREATED -> metrics.accepted();
      case REPLAYED -> metrics.replayed();
      case MISMATCH, QUEUE_FULL, UNAPPLICABLE -> {
        return rejections.of(result, job);
      }
    }
    return null;
  }

  /**
   * Counts {@code count} jobs refused with {@code failure}; failures that are no refusal are not.
   */
  void rejected(Throwable failure, int count) {
    metrics.rejected(failure, count);
  }
}
