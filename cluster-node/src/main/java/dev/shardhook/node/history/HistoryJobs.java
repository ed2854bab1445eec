package dev.shardhook.node.history;

import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.SubmitResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The shard's jobs with the history behind them: a job the store no longer holds (purged after
 * {@code --retention}) is read from the history database, and a list page merges the store's page
 * with the history's in one order, the stored job winning over its exported copy (README, "Job
 * history").
 */
final class HistoryJobs implements JobService {
  // Newest first: creation time, then scoped id, both descending (as node.store.IndexKeys sorts).
  static final Comparator<JobRecord> NEWEST_FIRST =
      Comparator.comparingLong((JobRecord j) -> j.createdAt().toEpochMilli())
          .thenComparing(JobRecord::id)
          .reversed();

  private final JobService live;
  private final HistoryRows rows;
  private final Predicate<String> stored;
  private final Executor executor;

  /**
   * @param stored whether the store holds a job by scoped id (its copy then is not the history's)
   * @param executor where the blocking database reads run
   */
  HistoryJobs(JobService live, HistoryRows rows, Predicate<String> stored, Executor executor) {
    this.live = live;
    this.rows = rows;
    this.stored = stored;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<List<SubmitResult>> submit(List<NewJob> jobs) {
    return live.submit(jobs);
  }

  @Override
  public CompletableFuture<CancelResult> cancel(String id) {
    return live.cancel(id);
  }

  /** Only jobs the store holds: a replay changes replicated state, which a purged job has left. */
  @Override
  public CompletableFuture<List<ReplayResult>> replay(List<String> ids) {
    return live.replay(ids);
  }

  @Override
  public CompletableFuture<OperationResult> startOperation(OperationRecord operation) {
    return live.startOperation(operation);
  }

  @Override
  public CompletableFuture<Optional<OperationRecord>> operation(String id) {
    return live.operation(id);
  }

  @Override
  public Optional<String> waitingFor(JobRecord job) {
    return live.waitingFor(job);
  }

  @Override
  public CompletableFuture<Optional<JobRecord>> get(String id) {
    // Only a miss pays for the hop to the executor and the database read.
    return live.get(id)
        .thenCompose(
            job ->
                job.isPresent()
                    ? CompletableFuture.completedFuture(job)
                    : CompletableFuture.supplyAsync(() -> sql(() -> rows.find(id)), executor));
  }

  @Override
  public CompletableFuture<JobPage> list(JobQuery query) {
    return live.list(query).thenApplyAsync(page -> merge(query, page), executor);
  }

  /**
   * The first {@code limit} jobs of both pages, in order, down to where both sources are known to
   * be complete: the store's page ends at its next position (it may stop early, after scanning its
   * bound), the history's at its last row when it is full.
   */
  private JobPage merge(JobQuery query, JobPage page) {
    List<JobRecord> history = sql(() -> rows.page(query));
    Set<String> listed = new HashSet<>();
    List<JobRecord> all = new ArrayList<>(page.jobs());
    page.jobs().forEach(j -> listed.add(j.id()));
    for (JobRecord h : history) {
      // A job the store still holds is listed (or filtered out) as the store has it.
      if (!listed.contains(h.id()) && !stored.test(h.id())) {
        all.add(h);
      }
    }
    all.sort(NEWEST_FIRST);
    JobQuery.Position bound = page.next();
    if (history.size() >= query.limit()) {
      JobQuery.Position last = position(history.getLast());
      if (bound == null || newer(last, bound)) {
        bound = last;
      }
    }
    List<JobRecord> out = new ArrayList<>();
    for (JobRecord j : all) {
      if (out.size() == query.limit() || (bound != null && newer(bound, position(j)))) {
        break;
      }
      out.add(j);
    }
    if (out.size() == query.limit()) {
      return new JobPage(out, position(out.getLast()));
    }
    return new JobPage(out, bound);
  }

  private static JobQuery.Position position(JobRecord job) {
    return new JobQuery.Position(job.createdAt().toEpochMilli(), job.id());
  }

  /** Whether {@code a} lists before {@code b} (newer, or as new with a greater id). */
  private static boolean newer(JobQuery.Position a, JobQuery.Position b) {
    int byTime = Long.compare(a.createdAtMs(), b.createdAtMs());
    return byTime > 0 || (byTime == 0 && a.id().compareTo(b.id()) > 0);
  }

  private interface SqlRead<T> {
    T get() throws SQLException;
  }

  private static <T> T sql(SqlRead<T> read) {
    try {
      return read.get();
    } catch (SQLException e) {
      // A retryable 503, not an answer without the history: a silent gap would look complete.
      throw new CompletionException(
          new ShardUnavailableException("the job history database cannot be read", e));
    }
  }
}
