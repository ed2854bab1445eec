package dev.shardhook.client;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits encoded batch items into {@code POST /jobs:batch} bodies a shard accepts: at most {@value
 * #MAX_ITEMS} items and, where items allow, at most {@value #MAX_BYTES} bytes (the node's default
 * request limit) per body. An item too big to share a body goes alone.
 */
final class BatchChunks {
  static final int MAX_ITEMS = 1000;
  static final int MAX_BYTES = 1 << 20;

  private BatchChunks() {}

  /**
   * One chunk: items {@code [from, to)} and their JSON array.
   *
   * @param from first item index
   * @param to one past the last item index
   * @param body the JSON array of those items
   */
  record Chunk(int from, int to, byte[] body) {}

  static List<Chunk> split(List<byte[]> items) {
    return split(items, MAX_ITEMS, MAX_BYTES);
  }

  static List<Chunk> split(List<byte[]> items, int maxItems, int maxBytes) {
    List<Chunk> chunks = new ArrayList<>();
    int from = 0;
    long bytes = 2; // the brackets
    for (int i = 0; i < items.size(); i++) {
      long added = items.get(i).length + (i > from ? 1 : 0);
      if (i > from && (i - from >= maxItems || bytes + added > maxBytes)) {
        chunks.add(chunk(items, from, i));
        from = i;
        bytes = 2;
        added = items.get(i).length;
      }
      bytes += added;
    }
    if (from < items.size()) {
      chunks.add(chunk(items, from, items.size()));
    }
    return chunks;
  }

  private static Chunk chunk(List<byte[]> items, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    for (int i = from; i < to; i++) {
      if (i > from) {
        out.write(',');
      }
      out.writeBytes(items.get(i));
    }
    out.write(']');
    return new Chunk(from, to, out.toByteArray());
  }
}
