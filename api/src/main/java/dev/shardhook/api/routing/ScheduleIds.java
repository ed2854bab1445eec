package dev.shardhook.api.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Ids of cron schedules and of the jobs they fire (README, "Schedules"). A schedule's id is {@code
 * sch_} and 32 hex digits, derived from the tenant and the request's idempotency key (or drawn at
 * random), so every proxy routes one key to one shard. A fired job's id is {@code
 * <scheduleId>.<fire time in epoch seconds>}, and {@link #ringKey} places it on its schedule's
 * shard: the only id form whose ring position is not the hash of the whole id.
 */
public final class ScheduleIds {
  /** What every schedule id starts with; job ids of the form {@code sch_*.*} are reserved. */
  public static final String PREFIX = "sch_";

  private static final Pattern VALID = Pattern.compile("sch_[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ScheduleIds() {}

  /** Whether {@code id} has the form of a schedule id. */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** A fresh random schedule id, for a request without an idempotency key. */
  public static String fresh() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }

  /**
   * The id of the schedule that {@code tenant}'s request with idempotency key {@code key} makes.
   */
  public static String fromIdempotencyKey(String tenant, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("schedule".getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(tenant.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The id of the job that schedule {@code scheduleId} fires for {@code fireEpochSeconds}. */
  public static String firedJobId(String scheduleId, long fireEpochSeconds) {
    return scheduleId + "." + fireEpochSeconds;
  }

  /**
   * What the ring hashes to place {@code id}: the schedule id for a fired job ({@code sch_…} up to
   * its first dot), else the id itself.
   */
  public static String ringKey(String id) {
    if (id.startsWith(PREFIX)) {
      int dot = id.indexOf('.');
      if (dot > 0) {
        return id.substring(0, dot);
      }
    }
    return id;
  }
}
