package dev.shardhook.node.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte layouts of the time-ordered indexes: 8-byte big-endian time (sign flipped), then the id. */
final class Keys {
  private Keys() {}

  static byte[] timeAndId(long epochMs, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + idBytes.length)
        .putLong(epochMs ^ Long.MIN_VALUE)
        .put(idBytes)
        .array();
  }

  static long time(byte[] key) {
    return ByteBuffer.wrap(key, 0, 8).getLong() ^ Long.MIN_VALUE;
  }

  static String id(byte[] key) {
    return new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
  }

  /** The smallest key sorting after every key with a time at or before {@code epochMs}. */
  static byte[] after(long epochMs) {
    if (epochMs == Long.MAX_VALUE) {
      // No id starts with 0xFF (it is never part of UTF-8), so this sorts after every key.
      byte[] last = new byte[9];
      Arrays.fill(last, (byte) 0xFF);
      return last;
    }
    return ByteBuffer.allocate(8).putLong((epochMs + 1) ^ Long.MIN_VALUE).array();
  }

  /** The smallest key with a time at or after {@code epochMs}. */
  static byte[] from(long epochMs) {
    return ByteBuffer.allocate(8).putLong(epochMs ^ Long.MIN_VALUE).array();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
