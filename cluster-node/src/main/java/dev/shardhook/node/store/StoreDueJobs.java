package dev.shardhook.node.store;

import dev.shardhook.client.Job;
import dev.shardhook.node.delivery.DueJobs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** {@link DueJobs} read straight from the store's due index. */
public final class StoreDueJobs implements DueJobs {
  private final JobStore store;

  public StoreDueJobs(JobStore store) {
    this.store = store;
  }

  @Override
  public List<Job> due(Instant now, int limit, int maxScanned, Predicate<String> skip) {
    return store.due(now.toEpochMilli(), limit, maxScanned, skip).stream()
        .map(StoredJob::job)
        .toList();
  }

  @Override
  public boolean unchanged(Job seen) {
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
