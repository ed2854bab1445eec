package dev.shardhook.api.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Job id rules shared by node, proxy and SDK: the valid form, time-ordered generation (UUIDv7) and
 * the derivation from an idempotency key, which lets every proxy route one key to one shard without
 * shared state.
 */
public final class JobIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The tenant of deployments without API keys. Its keys hash with an empty tenant part, as every
   * key did before tenants existed, so their ids stay the same.
   */
  public static final String DEFAULT_TENANT = "default";

  private JobIds() {}

  /** Whether {@code id} has the form of a job id: {@code [A-Za-z0-9._:-]{1,128}}. */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** A UUIDv7: 48 bits of Unix milliseconds, then randomness, so ids sort by creation time. */
  public static String generate(Clock clock) {
    long millis = clock.millis();
    long randA = RANDOM.nextLong();
    long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** The id the default tenant's idempotency key stands for. */
  public static String fromIdempotencyKey(String key) {
    return fromIdempotencyKey(DEFAULT_TENANT, key);
  }

  /**
   * The id of the job a tenant's idempotency key stands for: {@code idk-} + 32 hex chars of SHA-256
   * over tenant and key, so two tenants' equal keys name two jobs.
   */
  public static String fromIdempotencyKey(String tenant, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String part = tenant.equals(DEFAULT_TENANT) ? "" : tenant;
      sha.update(part.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      return "idk-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
