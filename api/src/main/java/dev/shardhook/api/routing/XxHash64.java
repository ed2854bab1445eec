package dev.shardhook.api.routing;

import java.nio.charset.StandardCharsets;

/**
 * XXH64, the 64-bit xxHash by Yann Collet, as specified in {@code doc/xxhash_spec.md} of
 * Cyan4973/xxHash: input read as little-endian lanes, four accumulators over 32-byte stripes.
 *
 * <p>Part of the routing contract (docs/architecture.md §4): the proxy and the SDK place job ids on
 * the shard ring with it, so its output must never change. {@code XxHash64Test} pins it to the
 * reference vectors.
 */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** XXH64 of the UTF-8 bytes of {@code s} with seed 0, the form routing uses. */
  public static long hashUtf8(String s) {
    return hash(s.getBytes(StandardCharsets.UTF_8), 0);
  }

  /** XXH64 of {@code in} with {@code seed}. */
  public static long hash(byte[] in, long seed) {
    int len = in.length;
    int i = 0;
    long h;
    if (len >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      for (int limit = len - 32; i <= limit; i += 32) {
        v1 = round(v1, lane64(in, i));
        v2 = round(v2, lane64(in, i + 8));
        v3 = round(v3, lane64(in, i + 16));
        v4 = round(v4, lane64(in, i + 24));
      }
      h =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += len;
    for (; i + 8 <= len; i += 8) {
      h = Long.rotateLeft(h ^ round(0, lane64(in, i)), 27) * P1 + P4;
    }
    if (i + 4 <= len) {
      h = Long.rotateLeft(h ^ (lane32(in, i) * P1), 23) * P2 + P3;
      i += 4;
    }
    for (; i < len; i++) {
      h = Long.rotateLeft(h ^ ((in[i] & 0xFFL) * P5), 11) * P1;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long lane) {
    return Long.rotateLeft(acc + lane * P2, 31) * P1;
  }

  private static long merge(long h, long v) {
    return (h ^ round(0, v)) * P1 + P4;
  }

  private static long lane64(byte[] b, int i) {
    return lane32(b, i) | (lane32(b, i + 4) << 32);
  }

  /** The unsigned little-endian 32-bit value at {@code i}, in a long. */
  private static long lane32(byte[] b, int i) {
    return (b[i] & 0xFFL)
        | (b[i + 1] & 0xFFL) << 8
        | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24;
  }
}
