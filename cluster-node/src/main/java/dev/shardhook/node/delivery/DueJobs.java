package dev.shardhook.node.delivery;

import dev.shardhook.node.job.JobRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The leader's view of the due index in RocksDB. */
public interface DueJobs {
  /**
   * Up to {@code limit} PENDING jobs whose next attempt is at or before {@code now}, in index order
   * from just after {@code after} (from the head when null), leaving out those {@code skip} accepts
   * (for example ids already queued or in flight). Reads at most {@code maxScanned} index entries,
   * so a long run of skipped jobs cannot stall one read; the window says where the next read goes
   * on.
   */
  Window due(Instant now, Position after, int limit, int maxScanned, Predicate<String> skip);

  /**
   * Whether {@code seen}, as {@link #due} returned it, is still PENDING with no attempt recorded
   * since. A scan may read the index from a view older than an outcome applied meanwhile; this
   * point read tells such a stale entry from real work.
   */
  boolean unchanged(JobRecord seen);

  /** The earliest next-attempt time in the index, if any job is pending. */
  Optional<Instant> earliestDue();

  /** An entry of the due index. */
  record Position(long atMs, String id) {}

  /**
   * One read: the jobs, the last entry read ({@code null} when none was), and whether the read
   * reached the end of what is due, so the next pass starts again from the head.
   */
  record Window(List<JobRecord> jobs, Position last, boolean end) {}
}
