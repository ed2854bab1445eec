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
 */
public record ListFilter(JobStatus status, String host, Long createdAfter, Long createdBefore) {
  /** Filters nothing. */
  public static final ListFilter NONE = new ListFilter(null, null, null, null);

  public ListFilter {
    host = host == null ? null : host.toLowerCase(Locale.ROOT);
  }
}
