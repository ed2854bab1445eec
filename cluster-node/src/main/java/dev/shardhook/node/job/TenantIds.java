package dev.shardhook.node.job;

import dev.shardhook.api.routing.JobIds;

/**
 * Tenant namespaces inside the shard. The store, the log and the dispatcher know a job by its
 * scoped id, {@code tenant/id}; the API shows only {@code id}. Idempotency keys are scoped the same
 * way. A job id cannot hold a {@code /}, so the tenant of a scoped id is never ambiguous.
 *
 * <p>The default tenant (deployments without API keys) keeps bare ids and keys, as every job had
 * before tenants existed, so stores written then are read the same way now.
 */
public final class TenantIds {
  private static final char SEPARATOR = '/';

  private TenantIds() {}

  public static String scoped(String tenant, String id) {
    return tenant.equals(JobIds.DEFAULT_TENANT) ? id : tenant + SEPARATOR + id;
  }

  /** The tenant a scoped job id belongs to. */
  public static String tenantOf(String scopedId) {
    int at = scopedId.indexOf(SEPARATOR);
    return at < 0 ? JobIds.DEFAULT_TENANT : scopedId.substring(0, at);
  }

  /** The id the tenant knows the job by. */
  public static String publicId(String scopedId) {
    return scopedId.substring(scopedId.indexOf(SEPARATOR) + 1);
  }

  /** The key the tenant sent, of the job {@code scopedId}; null stays null. */
  public static String publicKey(String scopedId, String scopedKey) {
    String tenant = tenantOf(scopedId);
    if (scopedKey == null || tenant.equals(JobIds.DEFAULT_TENANT)) {
      return scopedKey;
    }
    return scopedKey.substring(tenant.length() + 1);
  }

  /** {@code job} with its id and key moved into {@code tenant}'s namespace. */
  public static NewJob scoped(String tenant, NewJob job) {
    if (tenant.equals(JobIds.DEFAULT_TENANT)) {
      return job;
    }
    return new NewJob(
        scoped(tenant, job.id()),
        job.idempotencyKey() == null ? null : tenant + SEPARATOR + job.idempotencyKey(),
        job.fingerprint(),
        job.url(),
        job.method(),
        job.headers(),
        job.body(),
        job.runAt(),
        job.delayMs(),
        job.timeoutMs(),
        job.retry(),
        job.queue(),
        job.orderingKey());
  }
}
