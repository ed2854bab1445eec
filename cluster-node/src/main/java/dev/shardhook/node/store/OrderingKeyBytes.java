package dev.shardhook.node.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte layout of the {@code ordering} column family: the scoped key's length (2 bytes) and UTF-8
 * bytes, then the place it joined at (8-byte log index, 4-byte position, both big-endian and never
 * negative), so one key's jobs sort together in acceptance order.
 */
final class OrderingKeyBytes {
  private OrderingKeyBytes() {}

  static byte[] scope(String scopedKey) {
    byte[] k = scopedKey.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + k.length).putShort((short) k.length).put(k).array();
  }

  static byte[] entry(String scopedKey, OrderingSeq seq) {
    byte[] scope = scope(scopedKey);
    return ByteBuffer.allocate(scope.length + 12)
        .put(scope)
        .putLong(seq.index())
        .putInt(seq.position())
        .array();
  }

  /** The smallest key after every entry of {@code scopedKey}. */
  static byte[] end(String scopedKey) {
    byte[] scope = scope(scopedKey);
    // Entries add 12 bytes after the scope; 13 bytes of 0xFF sort after all of them.
    ByteBuffer b = ByteBuffer.allocate(scope.length + 13).put(scope);
    while (b.hasRemaining()) {
      b.put((byte) 0xFF);
    }
    return b.array();
  }

  static OrderingSeq seq(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key, key.length - 12, 12);
    return new OrderingSeq(b.getLong(), b.getInt());
  }

  static byte[] seqBytes(OrderingSeq seq) {
    return ByteBuffer.allocate(12).putLong(seq.index()).putInt(seq.position()).array();
  }

  static OrderingSeq seqOf(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value);
    return new OrderingSeq(b.getLong(), b.getInt());
  }

  static String jobId(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }
}
