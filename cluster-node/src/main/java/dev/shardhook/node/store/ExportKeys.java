package dev.shardhook.node.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte layout of the {@code export-queue} family: the log index at which the job became final (8
 * bytes big-endian; indexes are never negative, so the bytes sort as the numbers), then its scoped
 * id.
 */
final class ExportKeys {
  private ExportKeys() {}

  static byte[] entry(long index, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + idBytes.length).putLong(index).put(idBytes).array();
  }

  /** The smallest key of an entry at or after {@code index}. */
  static byte[] from(long index) {
    return ByteBuffer.allocate(8).putLong(index).array();
  }

  static long index(byte[] key) {
    return ByteBuffer.wrap(key, 0, 8).getLong();
  }

  static String id(byte[] key) {
    return new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
  }
}
