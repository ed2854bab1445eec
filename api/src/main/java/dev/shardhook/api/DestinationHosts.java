package dev.shardhook.api;

import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.RouteNotFoundException;
import java.util.regex.Pattern;

/**
 * The names of destinations: {@code host:port} as the dispatcher keys them (an IPv6 address without
 * brackets, so the port is what follows the last {@code :}), and the paths of their resource,
 * {@code /destinations/{host}:enable}.
 */
public final class DestinationHosts {
  public static final String PATH = "/destinations";
  public static final String PREFIX = PATH + "/";
  public static final String TEMPLATE = PREFIX + "{host}:enable";
  public static final String ENABLE = "enable";
  public static final int MAX_LENGTH = 261;
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");

  private DestinationHosts() {}

  /** Whether {@code name} is a {@code host:port}: a host name or address, a port 1 to 65535. */
  public static boolean isValid(String name) {
    if (name == null || name.length() > MAX_LENGTH) {
      return false;
    }
    int colon = name.lastIndexOf(':');
    if (colon <= 0 || colon == name.length() - 1) {
      return false;
    }
    String port = name.substring(colon + 1);
    if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int p = Integer.parseInt(port);
    return p >= 1 && p <= 65535 && HOST.matcher(name.substring(0, colon)).matches();
  }

  /**
   * The host of a {@code /destinations/{host}:enable} path.
   *
   * @throws RouteNotFoundException when the path names no action, or another one
   * @throws BadRequestException when what precedes it is no {@code host:port}
   */
  public static String enabledHost(String path) {
    String rest = path.substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    if (colon < 0 || !rest.substring(colon + 1).equals(ENABLE)) {
      throw new RouteNotFoundException(Printable.of(path));
    }
    String host = rest.substring(0, colon);
    if (!isValid(host)) {
      throw new BadRequestException(
          "destination: must be host:port (port 1 to 65535), got '" + Printable.of(host) + "'");
    }
    return host;
  }

  /** The path that enables {@code host}. */
  public static String enablePath(String host) {
    return PREFIX + host + ":" + ENABLE;
  }
}
