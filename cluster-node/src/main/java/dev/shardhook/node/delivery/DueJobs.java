package dev.shardhook.node.delivery;

import dev.shardhook.client.Job;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The leader's view of the due index in RocksDB. */
public interface DueJobs {
  /**
   * Up to {@code limit} PENDING jobs whose next attempt is at or before {@code now}, earliest
   * first, leaving out those {@code skip} accepts (for example ids already in flight). Reads at
   * most {@code maxScanned} index entries, so a long run of skipped jobs cannot stall the scan.
   */
  List<Job> due(Instant now, int limit, int maxScanned, Predicate<String> skip);

  /**
   * Whether {@code seen}, as {@link #due} returned it, is still PENDING with no attempt recorded
   * since. A scan may read the index from a view older than an outcome applied meanwhile; this
   * point read tells such a stale entry from real work.
   */
  boolean unchanged(Job seen);

  /** The earliest next-attempt time in the index, if any job is pending. */
  Optional<Instant> earliestDue();
}
