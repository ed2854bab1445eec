package dev.shardhook.node.job;

import java.net.URI;
import java.util.Locale;

/** The destination host a job is indexed and listed by. */
public final class JobHost {
  private JobHost() {}

  /**
   * The host of {@code url} in lower case (IPv6 in brackets, as URIs write it); empty when it has
   * none. Pure, so every replica indexes a job under the same host.
   */
  public static String of(String url) {
    try {
      String host = URI.create(url).getHost();
      return host == null ? "" : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
