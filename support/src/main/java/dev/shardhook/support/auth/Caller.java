package dev.shardhook.support.auth;

import dev.shardhook.api.routing.JobIds;

/**
 * Who a request acts as, once its key is checked.
 *
 * @param tenant whose jobs it sees: the key's tenant, or the one an admin named
 * @param role what the key may do
 * @param keyId the key's label, for logs (never the key)
 */
public record Caller(String tenant, Role role, String keyId) {
  /** Every request of a deployment without keys ({@code --insecure-no-auth}). */
  public static final Caller UNAUTHENTICATED = new Caller(JobIds.DEFAULT_TENANT, Role.ADMIN, "-");
}
