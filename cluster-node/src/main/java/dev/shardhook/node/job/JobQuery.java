package dev.shardhook.node.job;

import java.util.Locale;

/**
 * One page of a tenant's jobs to list, newest first (README, "Listing jobs"). Null filters match
 * everything; times are exclusive bounds on {@code createdAt} in epoch milliseconds.
 *
 * @param tenant whose jobs
 * @param status only jobs in this state, or null
 * @param host only jobs whose URL names this host (lower case), or null
 * @param createdAfter only jobs created after this time, or null
 * @param createdBefore only jobs created before this time, or null
 * @param idempotencyKey only the job of this scoped key (a page of at most one), or null
 * @param limit the most jobs on the page
 * @param after the position the previous page ended at (the page starts just older), or null
 * @param queue only jobs of this named queue, or null
 */
public record JobQuery(
    String tenant,
    JobState status,
    String host,
    Long createdAfter,
    Long createdBefore,
    String idempotencyKey,
    int limit,
    Position after,
    String queue) {

  /** A query by anything but the queue. */
  public JobQuery(
      String tenant,
      JobState status,
      String host,
      Long createdAfter,
      Long createdBefore,
      String idempotencyKey,
      int limit,
      Position after) {
    this(tenant, status, host, createdAfter, createdBefore, idempotencyKey, limit, after, null);
  }

  /** Where a page ended: the last job's creation time and scoped id. */
  public record Position(long createdAtMs, String id) {}

  public JobQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    host = host == null ? null : host.toLowerCase(Locale.ROOT);
  }

  /** Whether {@code job} passes every filter (the tenant's included). */
  public boolean matches(JobRecord job) {
    long created = job.createdAt().toEpochMilli();
    return TenantIds.tenantOf(job.id()).equals(tenant)
        && (status == null || job.state() == status)
        && (host == null || host.equals(JobHost.of(job.url())))
        && (createdAfter == null || created > createdAfter)
        && (createdBefore == null || created < createdBefore)
        && (queue == null || queue.equals(job.queue()));
  }
}
