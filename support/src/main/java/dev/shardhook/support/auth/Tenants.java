package dev.shardhook.support.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One version of the tenants file: every tenant, and every API key by the SHA-256 of the key.
 * Immutable; a reload replaces the whole directory.
 */
public final class Tenants {
  /** A key as the directory holds it: its hash, never the key. */
  record KeyEntry(String id, String tenant, Role role, byte[] sha256) {}

  /** No tenants and no keys: a deployment without a tenants file. */
  public static final Tenants EMPTY = new Tenants(Map.of(), Map.of());

  private final Map<String, Tenant> byName;
  private final Map<String, KeyEntry> keysByHash;

  Tenants(Map<String, Tenant> byName, Map<String, KeyEntry> keysByHash) {
    this.byName = Map.copyOf(byName);
    this.keysByHash = Map.copyOf(keysByHash);
  }

  public Optional<Tenant> tenant(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Collection<Tenant> all() {
    return byName.values();
  }

  /** The ids and roles of a tenant's keys, for the tenant view. */
  public List<Map<String, String>> keysOf(String tenant) {
    return keysByHash.values().stream()
        .filter(k -> k.tenant().equals(tenant))
        .sorted(Comparator.comparing(KeyEntry::id))
        .map(k -> Map.of("id", k.id(), "role", k.role().name().toLowerCase(Locale.ROOT)))
        .toList();
  }

  /**
   * The key {@code presented} is, or empty. The map is keyed by the hash, so lookup time depends
   * only on the hash of what was sent, never on how much of a real key it matched; the final
   * comparison is constant-time all the same.
   */
  Optional<KeyEntry> key(String presented) {
    byte[] hash = sha256(presented);
    KeyEntry entry = keysByHash.get(HexFormat.of().formatHex(hash));
    if (entry == null || !MessageDigest.isEqual(entry.sha256(), hash)) {
      return Optional.empty();
    }
    return Optional.of(entry);
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
