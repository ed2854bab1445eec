package dev.shardhook.node.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what {@link BinaryOut} wrote. Malformed or truncated input fails with {@link
 * IllegalArgumentException}; callers turn that into their own error.
 */
public final class BinaryIn {
  private final byte[] buf;
  private int pos;
  private final int end;

  public BinaryIn(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  public BinaryIn(byte[] bytes, int offset, int length) {
    this.buf = bytes;
    this.pos = offset;
    this.end = offset + length;
  }

  public int readByte() {
    require(1);
    return buf[pos++] & 0xFF;
  }

  public boolean readBoolean() {
    int b = readByte();
    if (b > 1) {
      throw malformed("boolean " + b);
    }
    return b == 1;
  }

  public int readInt() {
    long raw = readUnsigned();
    if ((raw >>> 32) != 0) {
      throw malformed("int out of range");
    }
    int v = (int) raw;
    return (v >>> 1) ^ -(v & 1);
  }

  public long readLong() {
    long v = readUnsigned();
    return (v >>> 1) ^ -(v & 1);
  }

  public double readDouble() {
    require(8);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = bits << 8 | (buf[pos++] & 0xFF);
    }
    return Double.longBitsToDouble(bits);
  }

  public Integer readNullableInt() {
    return readBoolean() ? readInt() : null;
  }

  public Long readNullableLong() {
    return readBoolean() ? readLong() : null;
  }

  public Double readNullableDouble() {
    return readBoolean() ? readDouble() : null;
  }

  /** A collection size, or -1 for a null collection. */
  public int readCount() {
    long v = readUnsigned();
    // Every element takes at least one byte, so a larger count can only be corruption; checking
    // here keeps a bad count from sizing a huge collection.
    if (v < 0 || v - 1 > end - pos) {
      throw malformed("count " + (v - 1) + " exceeds the remaining input");
    }
    return (int) (v - 1);
  }

  public Instant readInstant() {
    if (!readBoolean()) {
      return null;
    }
    long seconds = readLong();
    // Instant.ofEpochSecond would throw DateTimeException, not the malformed-input exception.
    if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
      throw malformed("instant second " + seconds);
    }
    long nano = readUnsigned();
    if (nano < 0 || nano > 999_999_999) {
      throw malformed("nano " + nano);
    }
    return Instant.ofEpochSecond(seconds, nano);
  }

  /** An insertion-ordered map, as Jackson gave: decode order is the encoded iteration order. */
  public Map<String, String> readStringMap() {
    int size = readCount();
    if (size < 0) {
      return null;
    }
    Map<String, String> map = LinkedHashMap.newLinkedHashMap(size);
    for (int i = 0; i < size; i++) {
      String key = readString();
      map.put(key, readString());
    }
    return map;
  }

  public String readString() {
    long header = readUnsigned();
    if (header == 0) {
      return null;
    }
    long len = header - 1;
    if (len < 0 || len > end - pos) {
      throw malformed("string of " + len + " bytes exceeds the remaining input");
    }
    int start = pos;
    int stop = start + (int) len;
    pos = stop;
    String s = new String(buf, start, stop - start, StandardCharsets.UTF_8);
    // The JDK decoder is the fast path but replaces the 3-byte unpaired surrogates BinaryOut
    // writes with U+FFFD; a replacement char (rare, and Latin-1 strings skip the search) means
    // decoding again exactly.
    return s.indexOf('\uFFFD') < 0 ? s : decodeExactly(start, stop);
  }

  /** UTF-8 plus the 3-byte surrogates {@link BinaryOut#writeString} writes for unpaired ones. */
  private String decodeExactly(int start, int stop) {
    char[] out = new char[stop - start];
    int n = 0;
    int i = start;
    while (i < stop) {
      int b = buf[i++];
      if (b >= 0) {
        out[n++] = (char) b;
      } else if ((b & 0xE0) == 0xC0) {
        out[n++] = (char) ((b & 0x1F) << 6 | continuation(i++, stop));
      } else if ((b & 0xF0) == 0xE0) {
        out[n++] =
            (char) ((b & 0x0F) << 12 | continuation(i++, stop) << 6 | continuation(i++, stop));
      } else if ((b & 0xF8) == 0xF0) {
        int cp =
            (b & 0x07) << 18
                | continuation(i++, stop) << 12
                | continuation(i++, stop) << 6
                | continuation(i++, stop);
        if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT || cp > Character.MAX_CODE_POINT) {
          throw malformed("code point " + cp);
        }
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
      } else {
        throw malformed("UTF-8 lead byte " + (b & 0xFF));
      }
    }
    return new String(out, 0, n);
  }

  private int continuation(int at, int stop) {
    if (at >= stop || (buf[at] & 0xC0) != 0x80) {
      throw malformed("truncated UTF-8 sequence");
    }
    return buf[at] & 0x3F;
  }

  private long readUnsigned() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      require(1);
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  /** Fails unless every byte was consumed: trailing bytes mean the value is not what we think. */
  public void expectEnd() {
    if (pos != end) {
      throw malformed((end - pos) + " trailing bytes");
    }
  }

  private void require(int n) {
    if (end - pos < n) {
      throw malformed("truncated input");
    }
  }

  private static IllegalArgumentException malformed(String what) {
    return new IllegalArgumentException("malformed binary value: " + what);
  }
}
