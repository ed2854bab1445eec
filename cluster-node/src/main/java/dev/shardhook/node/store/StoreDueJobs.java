package dev.shardhook.node.store;

import dev.shardhook.client.Job;
import dev.shardhook.client.JobStatus;
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
  public List<Job> due(Instant now, int limit, Predicate<String> skip) {
    return store.due(now.toEpochMilli(), limit, limit * 8, skip).stream()
        .map(StoredJob::job)
        .toList();
  }

  @Override
  public boolean unchanged(Job seen) {
    return store
        .job(seen.id())
        .map(StoredJob::job)
        .filter(j -> j.status() == JobStatus.PENDING)
        .filter(j -> j.attempts().size() == seen.attempts().size())
        .isPresent();
  }

  @Override
  public Optional<Instant> earliestDue() {
    return store.earliestDue().map(Instant::ofEpochMilli);
  }
}
