package dev.shardhook.api.routing;

/** Makes client- or operator-supplied text safe to quote in a message: short, no control chars. */
final class Printable {
  private static final int MAX_ECHO = 64;

  private Printable() {}

  static String of(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < MAX_ECHO; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > MAX_ECHO ? b.append("...").toString() : b.toString();
  }
}
