package dev.shardhook.api;

import java.util.Locale;

/**
 * What a listing ({@code GET /jobs}) is filtered by, as a cursor carries it; null fields filter
 * nothing. Times are exclusive bounds on {@code createdAt} in epoch milliseconds.
 *
 * @param status only jobs in this status, or null
 * @param host only jobs whose URL names this host (lower case), or null
 * @param createdAfter only jobs created after this time, or null
 * @param createdBefore only jobs created before this time, or null
 * @param queue only jobs of this named queue, or null
 */
public record ListFilter(
    JobStatus status, String host, Long createdAfter, Long createdBefore, String queue) {
  /** Filters nothing. */
  public static final ListFilter NONE = new ListFilter(null, null, null, null);

  /** A filter by anything but the queue. */
  public ListFilter(JobStatus status, String host, Long createdAfter, Long createdBefore) {
    this(status, host, createdAfter, createdBefore, null);
  }

  public ListFilter {
    host = host == null ? null : host.toLowerCase(Locale.ROOT);
  }
}
