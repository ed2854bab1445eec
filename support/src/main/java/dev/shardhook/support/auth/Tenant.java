package dev.shardhook.support.auth;

import java.time.Instant;
import java.util.List;

/**
 * A tenant as the tenants file declares it (its keys live in {@link Tenants}, by hash).
 *
 * @param name the namespace of its jobs
 * @param signingSecrets its webhook signing secrets, newest first
 * @param quotas its limits
 */
public record Tenant(String name, List<SigningSecret> signingSecrets, Quotas quotas) {
  public Tenant {
    signingSecrets = List.copyOf(signingSecrets);
  }

  /** The secrets that sign deliveries made at {@code now}. */
  public List<String> activeSecrets(Instant now) {
    return signingSecrets.stream().filter(s -> s.activeAt(now)).map(SigningSecret::secret).toList();
  }
}
