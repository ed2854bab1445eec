package dev.shardhook.api.problem;

/**
 * Makes client- or operator-supplied text safe to quote in a problem detail or an error message:
 * short, control characters escaped.
 */
public final class Printable {
  private static final int MAX_ECHO = 64;

  private Printable() {}

  public static String of(String s) {
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
