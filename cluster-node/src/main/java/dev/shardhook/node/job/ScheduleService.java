package dev.shardhook.node.job;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The shard's cron schedules as the HTTP layer sees them (README, "Schedules"); ids are scoped
 * ({@link TenantIds}). Futures fail with a {@link dev.shardhook.api.problem.ProblemException}.
 */
public interface ScheduleService {
  /** Creates {@code schedule}, or finds the one its id already names. */
  CompletableFuture<ScheduleResult> create(ScheduleRecord schedule);

  /** Pauses, or resumes with the next firing at {@code nextFireAtMs}. */
  CompletableFuture<ScheduleResult> setPaused(String id, boolean paused, Long nextFireAtMs);

  CompletableFuture<ScheduleResult> delete(String id);

  /** A linearizable read of one schedule. */
  CompletableFuture<Optional<ScheduleRecord>> get(String id);

  /** A linearizable read of a page of {@code tenant}'s schedules after scoped id {@code after}. */
  CompletableFuture<List<ScheduleRecord>> list(String tenant, String after, int limit);
}
