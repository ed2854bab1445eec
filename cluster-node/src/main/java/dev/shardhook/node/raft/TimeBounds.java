package dev.shardhook.node.raft;

import java.time.Instant;

/**
 * The range of times the store can hold, and arithmetic that stays inside it. The due and finished
 * indexes key on epoch milliseconds, which {@link Instant} overflows far before its own limits;
 * times in a log entry come from clients and receivers, so apply saturates instead of throwing.
 */
final class TimeBounds {
  static final Instant EARLIEST = Instant.EPOCH;
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private TimeBounds() {}

  static Instant clamp(Instant t) {
    if (t == null || t.isBefore(EARLIEST)) {
      return EARLIEST;
    }
    return t.isAfter(LATEST) ? LATEST : t;
  }

  static Instant plusMillis(Instant t, long millis) {
    Instant from = clamp(t);
    long room = LATEST.toEpochMilli() - from.toEpochMilli();
    return millis >= room ? LATEST : from.plusMillis(Math.max(millis, -from.toEpochMilli()));
  }
}
