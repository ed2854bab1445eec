package dev.shardhook.node.store;

import dev.shardhook.node.delivery.DueJobs;
import dev.shardhook.node.job.JobRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/** {@link DueJobs} read straight from the store's due index. */
public final class StoreDueJobs implements DueJobs {
  private final JobStore store;

  public StoreDueJobs(JobStore store) {
    this.store = store;
  }

  @Override
  public Window due(
      Instant now, Position after, int limit, int maxScanned, Predicate<String> skip) {
    DuePage page =
        store.duePage(
            after == null ? null : new DuePage.Position(after.atMs(), after.id()),
            now.toEpochMilli(),
            limit,
            maxScanned,
            skip);
    Position last = page.last() == null ? null : new Position(page.last().atMs(), page.last().id());
    return new Window(page.jobs().stream().map(StoredJob::job).toList(), last, page.end());
  }

  @Override
  public boolean unchanged(JobRecord seen) {
    // Applying an outcome or a cancel removes the job's due entry (a retry adds one at a later
    // time).
    return seen.nextAttemptAt() != null
        && store.isDue(seen.nextAttemptAt().toEpochMilli(), seen.id());
  }

  @Override
  public Optional<Instant> earliestDue() {
    return store.earliestDue().map(Instant::ofEpochMilli);
  }
}
