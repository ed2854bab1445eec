package dev.shardhook.api.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids of bulk operations: {@code op_} and 32 hex digits of SHA-256 over the tenant and the
 * request's idempotency key, so the proxy and every shard derive the same id with no shared state,
 * and a retried request names the same operation.
 */
public final class OperationIds {
  private static final Pattern VALID = Pattern.compile("op_[0-9a-f]{32}");

  private OperationIds() {}

  /** Whether {@code id} has the form of an operation id. */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** A fresh idempotency key, for a request that came without one. */
  public static String newKey() {
    return UUID.randomUUID().toString();
  }

  /**
   * The id of the operation that {@code tenant}'s request with idempotency key {@code key} starts.
   */
  public static String fromIdempotencyKey(String tenant, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("operation".getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(tenant.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      return "op_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
