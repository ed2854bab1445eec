package dev.shardhook.node.delivery;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads URL hosts that are IP addresses, in every spelling a resolver on the way might accept.
 *
 * <p>IPv4 hosts are read like inet_aton and the WHATWG URL standard: one to four parts, each
 * decimal, octal (leading 0) or hex (0x), the last part filling the remaining bytes, so {@code
 * 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1} and {@code 127.1} all mean 127.0.0.1. The JDK
 * reads leading zeros as decimal instead ({@code 0177.0.0.1} is 177.0.0.1 to {@code InetAddress}),
 * and OkHttp hands all-digit hosts straight to it; so both readings are returned and a guard must
 * accept every one of them.
 */
final class NumericHost {
  private NumericHost() {}

  /**
   * The addresses {@code host} may denote if it is an IP literal, or an empty list for a name.
   *
   * @param host a URL host, brackets around IPv6 allowed
   * @throws IllegalArgumentException when the host looks numeric but is no valid address
   */
  static List<InetAddress> readings(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') >= 0) {
      return List.of(ipv6(h));
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    String[] parts = h.split("\\.", -1);
    // WHATWG: a host whose last label is a number must be an IPv4 address.
    if (!isNumber(parts[parts.length - 1])) {
      return List.of();
    }
    List<InetAddress> out = new ArrayList<>(2);
    InetAddress loose = ipv4(parts, true);
    if (loose == null) {
      throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
    }
    out.add(loose);
    InetAddress decimal = ipv4(parts, false);
    if (decimal != null && !decimal.equals(loose)) {
      out.add(decimal);
    }
    return out;
  }

  private static boolean isNumber(String label) {
    return label.matches("[0-9]+|0x[0-9a-f]*");
  }

  /** Null when the parts are not an address in that reading. */
  private static InetAddress ipv4(String[] parts, boolean radixPrefixes) {
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      BigInteger v = part(parts[i], radixPrefixes);
      if (v == null) {
        return null;
      }
      int bytesLeft = i == parts.length - 1 ? 5 - parts.length : 1;
      if (v.bitLength() > 8 * bytesLeft) {
        return null;
      }
      values[i] = v.longValue();
    }
    long address = values[parts.length - 1];
    for (int i = 0; i < parts.length - 1; i++) {
      address |= values[i] << (8 * (3 - i));
    }
    byte[] bytes = {
      (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
    };
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static BigInteger part(String p, boolean radixPrefixes) {
    if (p.isEmpty()) {
      return null;
    }
    if (radixPrefixes && p.startsWith("0x")) {
      String digits = p.substring(2);
      return digits.isEmpty() ? BigInteger.ZERO : parse(digits, 16);
    }
    if (radixPrefixes && p.length() > 1 && p.startsWith("0")) {
      return parse(p.substring(1), 8);
    }
    return parse(p, 10);
  }

  private static BigInteger parse(String digits, int radix) {
    try {
      return new BigInteger(digits, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static InetAddress ipv6(String literal) {
    // A string with a colon is parsed as an IPv6 literal by the JDK, never looked up.
    if (!literal.matches("[0-9a-f:.]+(%[0-9a-z._-]+)?")) {
      throw new IllegalArgumentException("'" + literal + "' is not a valid IPv6 address");
    }
    try {
      return InetAddress.getByName("[" + literal + "]");
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + literal + "' is not a valid IPv6 address");
    }
  }
}
