package dev.shardhook.support.auth;

import java.time.Instant;

/**
 * One of a tenant's webhook signing secrets.
 *
 * @param id label, for the tenant view (never the secret)
 * @param secret {@code whsec_<base64 key>}
 * @param notAfter when it stops signing (the end of a rotation's grace period), or null
 */
public record SigningSecret(String id, String secret, Instant notAfter) {
  /** Whether deliveries at {@code now} are signed with it. */
  public boolean activeAt(Instant now) {
    return notAfter == null || now.isBefore(notAfter);
  }

  @Override
  public String toString() {
    return "SigningSecret[" + id + "]";
  }
}
