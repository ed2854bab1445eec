package dev.shardhook.node.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes primitives into a growable byte array, the counterpart of {@link BinaryIn}. Not
 * thread-safe: one instance per encoded value, so it needs no locking.
 *
 * <p>Nullable values cost nothing extra where a length is written anyway (length + 1, with 0 for
 * null) and one tag byte elsewhere. Integers are zig-zag varints, so small magnitudes of either
 * sign stay short; doubles keep their raw bits so replicas see bit-identical values.
 */
public final class BinaryOut {
  /** Room for a varint of a non-negative int, which the string writer reserves up front. */
  private static final int MAX_INT_VARINT = 5;

  private byte[] buf;
  private int pos;

  public BinaryOut(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  public void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  public void writeInt(int v) {
    writeUnsigned(((v << 1) ^ (v >> 31)) & 0xFFFFFFFFL);
  }

  public void writeLong(long v) {
    writeUnsigned((v << 1) ^ (v >> 63));
  }

  /** Raw IEEE bits, big-endian: NaN payloads and negative zero survive. */
  public void writeDouble(double v) {
    ensure(8);
    long bits = Double.doubleToRawLongBits(v);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (bits >>> shift);
    }
  }

  public void writeNullableInt(Integer v) {
    writeBoolean(v != null);
    if (v != null) {
      writeInt(v);
    }
  }

  public void writeNullableLong(Long v) {
    writeBoolean(v != null);
    if (v != null) {
      writeLong(v);
    }
  }

  public void writeNullableDouble(Double v) {
    writeBoolean(v != null);
    if (v != null) {
      writeDouble(v);
    }
  }

  /** A collection size, or -1 for a null collection. */
  public void writeCount(int size) {
    if (size < -1) {
      throw new IllegalArgumentException("negative size " + size);
    }
    writeUnsigned(size + 1L);
  }

  /** Epoch second and nano, so no precision is lost and no ISO text is formatted. */
  public void writeInstant(Instant t) {
    writeBoolean(t != null);
    if (t != null) {
      writeLong(t.getEpochSecond());
      writeUnsigned(t.getNano());
    }
  }

  /** Entries in the map's iteration order; keys and values may be null. */
  public void writeStringMap(Map<String, String> map) {
    if (map == null) {
      writeCount(-1);
      return;
    }
    writeCount(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(e.getKey());
      writeString(e.getValue());
    }
  }

  /**
   * Byte length + 1 (0 for null), then UTF-8. An unpaired surrogate is written as its own 3-byte
   * sequence (as WTF-8 does) instead of being replaced, because Jackson kept such strings intact
   * and the leader's object must equal what followers decode.
   */
  public void writeString(String s) {
    if (s == null) {
      writeUnsigned(0);
      return;
    }
    // The JDK encoder is much faster than a char loop, but turns an unpaired surrogate into '?':
    // any '?' in its output sends the string through the exact encoder below instead.
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (contains(utf8, (byte) '?')) {
      writeStringExactly(s);
      return;
    }
    writeUnsigned(utf8.length + 1L);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, buf, pos, utf8.length);
    pos += utf8.length;
  }

  private static boolean contains(byte[] bytes, byte b) {
    for (byte x : bytes) {
      if (x == b) {
        return true;
      }
    }
    return false;
  }

  private void writeStringExactly(String s) {
    int n = s.length();
    // Encode once past a worst-case length prefix, then slide the bytes back: one pass over the
    // chars instead of a counting pass plus an encoding pass.
    ensure(MAX_INT_VARINT + 3L * n);
    int start = pos + MAX_INT_VARINT;
    int end = encodeUtf8(s, n, start);
    int len = end - start;
    writeUnsigned(len + 1L);
    System.arraycopy(buf, start, buf, pos, len);
    pos += len;
  }

  private int encodeUtf8(String s, int n, int at) {
    byte[] b = buf;
    int p = at;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | c >> 6);
        b[p++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | cp >> 18);
        b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
        b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
        b[p++] = (byte) (0x80 | cp & 0x3F);
      } else {
        b[p++] = (byte) (0xE0 | c >> 12);
        b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
        b[p++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return p;
  }

  private void writeUnsigned(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) (v & 0x7F | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  private void ensure(long extra) {
    long needed = pos + extra;
    if (needed <= buf.length) {
      return;
    }
    if (needed > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("encoded value too large: " + needed + " bytes");
    }
    buf =
        Arrays.copyOf(
            buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
  }

  public int size() {
    return pos;
  }

  /** A copy of exactly the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
