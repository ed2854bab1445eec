package dev.shardhook.support.auth;

import java.util.Locale;

/** The key of an {@code Authorization: Bearer <key>} header (RFC 6750). */
final class BearerToken {
  /** Far above any key we issue; longer values are refused before they are hashed. */
  static final int MAX_LENGTH = 512;

  private BearerToken() {}

  /** The key, or null when the header is absent or not a well-formed bearer credential. */
  static String parse(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 8 || h.length() > MAX_LENGTH + 7) {
      return null;
    }
    if (!h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = h.substring(7).strip();
    if (token.isEmpty()) {
      return null;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      // RFC 6750 b64token characters.
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || "-._~+/=".indexOf(c) >= 0;
      if (!ok) {
        return null;
      }
    }
    return token;
  }
}
