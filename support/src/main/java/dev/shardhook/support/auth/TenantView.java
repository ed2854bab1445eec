package dev.shardhook.support.auth;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /tenants} (admin): each tenant's key ids and roles, signing-secret ids
 * and quotas. Never a key, a key hash or a secret.
 */
public final class TenantView {
  private TenantView() {}

  public static Map<String, Object> of(Tenants tenants, Instant now) {
    List<Map<String, Object>> list =
        tenants.all().stream()
            .sorted(Comparator.comparing(Tenant::name))
            .map(t -> tenant(tenants, t, now))
            .toList();
    return Map.of("tenants", list);
  }

  private static Map<String, Object> tenant(Tenants tenants, Tenant t, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", t.name());
    out.put("keys", tenants.keysOf(t.name()));
    out.put(
        "signingSecrets",
        t.signingSecrets().stream()
            .map(
                s -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("id", s.id());
                  m.put("active", s.activeAt(now));
                  if (s.notAfter() != null) {
                    m.put("notAfter", s.notAfter().toString());
                  }
                  return m;
                })
            .toList());
    Quotas q = t.quotas();
    out.put(
        "quotas",
        Map.of(
            "maxPendingPerShard", q.maxPendingPerShard(),
            "submitRatePerSecond", q.submitRatePerSecond(),
            "submitBurst", q.submitRatePerSecond() > 0 ? q.burst() : 0));
    return out;
  }
}
