package dev.shardhook.support.tls;

import java.io.ByteArrayOutputStream;

/**
 * The little ASN.1 DER that re-wrapping a PKCS#1 or SEC1 private key as PKCS#8 takes: writing
 * tag-length-value elements, and reading the elements of a sequence.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;

  /** rsaEncryption, 1.2.840.113549.1.1.1. */
  static final byte[] RSA_ENCRYPTION =
      element(OID, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 1});

  /** id-ecPublicKey, 1.2.840.10045.2.1. */
  static final byte[] EC_PUBLIC_KEY =
      element(OID, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1});

  private Der() {}

  /** One element: its tag, its length, then {@code content}. */
  static byte[] element(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... elements) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] e : elements) {
      content.writeBytes(e);
    }
    return element(SEQUENCE, content.toByteArray());
  }

  /** A PKCS#8 {@code PrivateKeyInfo} (version 0) holding {@code privateKey} of the algorithm. */
  static byte[] privateKeyInfo(byte[] algorithmIdentifier, byte[] privateKey) {
    return sequence(
        element(INTEGER, new byte[] {0}), algorithmIdentifier, element(OCTET_STRING, privateKey));
  }

  /**
   * The named curve of a SEC1 {@code ECPrivateKey} ({@code SEQUENCE { version, privateKey, [0]
   * parameters, [1] publicKey }}), as a whole OID element.
   *
   * @throws IllegalArgumentException when the key does not name its curve
   */
  static byte[] sec1Curve(byte[] ecPrivateKey) {
    Reader outer = new Reader(ecPrivateKey, 0, ecPrivateKey.length);
    Reader key = outer.enter(SEQUENCE);
    while (key.hasMore()) {
      int tag = key.peekTag();
      if (tag == 0xa0) {
        Reader parameters = key.enter(0xa0);
        return parameters.whole(OID);
      }
      key.skip();
    }
    throw new IllegalArgumentException("the EC private key does not name its curve");
  }

  /** Reads the elements between {@code pos} and {@code end}. */
  private static final class Reader {
    private final byte[] der;
    private int pos;
    private final int end;

    Reader(byte[] der, int pos, int end) {
      this.der = der;
      this.pos = pos;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    int peekTag() {
      require(pos < end);
      return der[pos] & 0xff;
    }

    /** The content of the next element, which must have {@code tag}, as its own reader. */
    Reader enter(int tag) {
      require(peekTag() == tag);
      int[] header = header();
      pos = header[1];
      return new Reader(der, header[0], header[1]);
    }

    /** The next element, tag and length included, which must have {@code tag}. */
    byte[] whole(int tag) {
      require(peekTag() == tag);
      int start = pos;
      pos = header()[1];
      byte[] out = new byte[pos - start];
      System.arraycopy(der, start, out, 0, out.length);
      return out;
    }

    void skip() {
      pos = header()[1];
    }

    /** {content start, content end} of the element at {@code pos}. */
    private int[] header() {
      int p = pos + 1;
      require(p < end);
      int first = der[p++] & 0xff;
      int length;
      if (first < 0x80) {
        length = first;
      } else {
        int bytes = first & 0x7f;
        require(bytes >= 1 && bytes <= 3 && p + bytes <= end);
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[p++] & 0xff);
        }
      }
      require(p + length <= end);
      return new int[] {p, p + length};
    }

    private static void require(boolean ok) {
      if (!ok) {
        throw new IllegalArgumentException("malformed DER in the private key");
      }
    }
  }
}
