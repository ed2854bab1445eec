package dev.shardhook.node.delivery;

import dev.shardhook.api.problem.InvalidJobException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Keeps webhooks away from URLs Shardhook must not call (server-side request forgery).
 *
 * <p>Always: the scheme is http or https, there is a host, and the port is 1..65535. Unless private
 * targets are allowed, the host must also not be, spell or resolve to an internal address (see
 * {@link InternalRanges}); numeric hosts are read in every spelling resolvers accept (see {@link
 * NumericHost}). A name that does not resolve at submit time is accepted, since DNS may be down for
 * a moment; {@link #asDns()} checks the addresses again at every delivery, which also defeats DNS
 * rebinding.
 */
public final class TargetGuard {
  private final boolean allowPrivate;

  public TargetGuard(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /**
   * Submit-time check; resolves the host (blocking) unless private targets are allowed.
   *
   * @throws InvalidJobException naming the problem
   */
  public void check(URI url) {
    String host = hostOf(url);
    if (!allowPrivate) {
      checkHost(host, true);
    }
  }

  /**
   * Delivery-time check of a host without resolving it: OkHttp connects to IP literals without
   * asking its {@link Dns}, so those are checked here; names are left to {@link #asDns()}.
   *
   * @throws InvalidJobException when the host is an internal address
   */
  void checkLiteral(String host) {
    if (!allowPrivate) {
      checkHost(host, false);
    }
  }

  /** The resolver deliveries must use: refuses internal addresses unless they are allowed. */
  public Dns asDns() {
    return allowPrivate ? Dns.SYSTEM : new GuardedDns(Dns.SYSTEM);
  }

  static boolean isLocalhostName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.equals("localhost") || h.endsWith(".localhost");
  }

  private static String hostOf(URI url) {
    if (url == null) {
      throw invalid("is required");
    }
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || url.isOpaque()) {
      throw invalid("must be an absolute http or https URL");
    }
    String host = url.getHost();
    int port = url.getPort();
    if (host == null && url.getRawAuthority() != null) {
      // java.net.URI gives no host for names it cannot read as a server (127.1, a_b.example),
      // which HTTP clients still connect to; split the authority by hand.
      String authority = url.getRawAuthority();
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      int colon = authority.lastIndexOf(':');
      if (colon >= 0 && authority.indexOf(']') < colon) {
        port = port(authority.substring(colon + 1));
        authority = authority.substring(0, colon);
      }
      host = authority;
    }
    if (host == null || host.isEmpty()) {
      throw invalid("has no host");
    }
    if (port != -1 && (port < 1 || port > 65535)) {
      throw invalid("port must be between 1 and 65535");
    }
    return host;
  }

  private static int port(String digits) {
    if (digits.isEmpty()) {
      return -1;
    }
    if (!digits.matches("[0-9]{1,5}")) {
      throw invalid("port must be between 1 and 65535");
    }
    return Integer.parseInt(digits);
  }

  private static void checkHost(String host, boolean resolve) {
    if (isLocalhostName(host)) {
      throw refused(host, "is a loopback name");
    }
    List<InetAddress> literal;
    try {
      literal = NumericHost.readings(host);
    } catch (IllegalArgumentException e) {
      throw invalid("host " + e.getMessage());
    }
    for (InetAddress a : literal) {
      Optional<String> why = InternalRanges.reason(a);
      if (why.isPresent()) {
        throw refused(host, "is " + a.getHostAddress() + " (" + why.get() + ")");
      }
    }
    if (!literal.isEmpty() || !resolve) {
      return;
    }
    InetAddress[] resolved;
    try {
      resolved = InetAddress.getAllByName(host);
    } catch (UnknownHostException | SecurityException e) {
      return;
    }
    // Stricter than delivery, which only drops the internal addresses: a name with any internal
    // address is almost certainly aimed at the inside, and the client should hear so now.
    for (InetAddress a : resolved) {
      Optional<String> why = InternalRanges.reason(a);
      if (why.isPresent()) {
        throw refused(host, "resolves to " + a.getHostAddress() + " (" + why.get() + ")");
      }
    }
  }

  private static InvalidJobException invalid(String problem) {
    return new InvalidJobException("url: " + problem);
  }

  private static InvalidJobException refused(String host, String why) {
    return new InvalidJobException(
        "url: host '" + host + "' " + why + "; private and internal targets are not allowed");
  }
}
