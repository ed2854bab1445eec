package dev.shardhook.node.job;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The shard's job operations as the HTTP layer sees them. Futures fail with a {@link
 * dev.shardhook.api.problem.ProblemException} subclass (for example {@code
 * ShardUnavailableException}).
 */
public interface JobService {
  /** Replicates the jobs (sharing Raft entries with concurrent callers); results in order. */
  CompletableFuture<List<SubmitResult>> submit(List<NewJob> jobs);

  /** A linearizable read of one job. */
  CompletableFuture<Optional<JobRecord>> get(String id);

  CompletableFuture<CancelResult> cancel(String id);

  /**
   * Moves failed or cancelled jobs (scoped ids) back to pending with a fresh retry budget, in one
   * entry; results in order.
   */
  CompletableFuture<List<ReplayResult>> replay(List<String> ids);

  /**
   * Starts a bulk replay ({@code operation}'s id and filter), or finds the one its id already
   * names.
   */
  CompletableFuture<OperationResult> startOperation(OperationRecord operation);

  /** A linearizable read of one bulk operation (scoped id). */
  CompletableFuture<Optional<OperationRecord>> operation(String id);

  /**
   * The scoped id of the job that {@code job} waits behind in its ordering key, as this node has
   * applied it; empty for a key's head and for jobs without a key (README, "Ordering").
   */
  default Optional<String> waitingFor(JobRecord job) {
    return Optional.empty();
  }

  /** A linearizable read of one page of a tenant's jobs. */
  CompletableFuture<JobPage> list(JobQuery query);
}
