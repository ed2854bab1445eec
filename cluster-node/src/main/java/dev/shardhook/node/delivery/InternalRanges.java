package dev.shardhook.node.delivery;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Address ranges a webhook must not reach when private targets are refused: everything that routes
 * to this host, its networks or a provider's internal services.
 *
 * <p>IPv6 forms that carry an IPv4 address (mapped, compatible, SIIT, NAT64 {@code 64:ff9b::/96},
 * 6to4) are judged by the address they carry, because the kernel or a translator delivers them
 * there.
 */
final class InternalRanges {
  private InternalRanges() {}

  /** Why {@code address} is refused, or empty when it is a public unicast address. */
  static Optional<String> reason(InetAddress address) {
    byte[] b = address.getAddress();
    return Optional.ofNullable(b.length == 4 ? ipv4(b) : ipv6(b));
  }

  private static String ipv4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (a0 == 0) {
      return "this-network (0.0.0.0/8)";
    }
    if (a0 == 127) {
      return "loopback";
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return "private";
    }
    if (a0 == 169 && a1 == 254) {
      return "link-local";
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return "carrier-grade NAT (100.64.0.0/10)";
    }
    if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
      return "IETF protocol assignments (192.0.0.0/24)";
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return "benchmarking (198.18.0.0/15)";
    }
    if (a0 >= 224 && a0 <= 239) {
      return "multicast";
    }
    if (a0 >= 240) {
      return "reserved or broadcast";
    }
    return null;
  }

  private static String ipv6(byte[] b) {
    if (zero(b, 0, 15) && b[15] == 0) {
      return "unspecified (::)";
    }
    if (zero(b, 0, 15) && b[15] == 1) {
      return "loopback";
    }
    if (zero(b, 0, 12)) {
      return embedded(b, 12, "IPv4-compatible");
    }
    if (zero(b, 0, 10) && ff(b, 10)) {
      return embedded(b, 12, "IPv4-mapped");
    }
    if (zero(b, 0, 8) && ff(b, 8) && zero(b, 10, 12)) {
      return embedded(b, 12, "IPv4-translated");
    }
    if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      if (zero(b, 4, 12)) {
        return embedded(b, 12, "NAT64");
      }
      if (b[4] == 0 && b[5] == 1) {
        return "local-use NAT64 (64:ff9b:1::/48)";
      }
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return embedded(b, 2, "6to4");
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return "link-local";
    }
    if (first == 0xfe && (second & 0xc0) == 0xc0) {
      return "site-local";
    }
    if ((first & 0xfe) == 0xfc) {
      return "unique-local (fc00::/7)";
    }
    if (first == 0xff) {
      return "multicast";
    }
    return null;
  }

  private static String embedded(byte[] b, int from, String form) {
    String inner = ipv4(Arrays.copyOfRange(b, from, from + 4));
    return inner == null ? null : form + " " + inner;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean ff(byte[] b, int at) {
    return b[at] == (byte) 0xff && b[at + 1] == (byte) 0xff;
  }
}
