package dev.shardhook.node.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
    return ByteBuffer.allocate(8).putLong((epochMs + 1) ^ Long.MIN_VALUE).array();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
