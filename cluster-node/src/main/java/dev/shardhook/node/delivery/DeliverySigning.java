package dev.shardhook.node.delivery;

import dev.shardhook.support.auth.Tenants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which secrets sign a delivery: every active secret of the job's tenant, one {@code v1,} signature
 * each, separated by spaces as Standard Webhooks allows, so a receiver that knows either the old or
 * the new secret of a rotation verifies it. A tenant without active secrets is signed with the
 * node's own secret ({@code --signing-secret}), if any.
 */
public final class DeliverySigning {
  private final Supplier<Tenants> tenants;
  private final WebhookSigner fallback;
  // Decoding a secret and checking the JDK's HMAC costs more than a signature: once per secret.
  private final Map<String, WebhookSigner> bySecret = new ConcurrentHashMap<>();

  /**
   * @param fallback signs for tenants without secrets of their own; null leaves them unsigned
   */
  public DeliverySigning(Supplier<Tenants> tenants, WebhookSigner fallback) {
    this.tenants = tenants;
    this.fallback = fallback;
  }

  /** The {@code webhook-signature} value, or null when the delivery goes unsigned. */
  String signature(String tenant, String msgId, long timestampSeconds, byte[] body, Instant now) {
    List<String> secrets =
        tenants.get().tenant(tenant).map(t -> t.activeSecrets(now)).orElse(List.of());
    if (secrets.isEmpty()) {
      return fallback == null ? null : fallback.sign(msgId, timestampSeconds, body);
    }
    StringBuilder header = new StringBuilder();
    for (String secret : secrets) {
      if (!header.isEmpty()) {
        header.append(' ');
      }
      header.append(
          bySecret.computeIfAbsent(secret, WebhookSigner::new).sign(msgId, timestampSeconds, body));
    }
    return header.toString();
  }
}
