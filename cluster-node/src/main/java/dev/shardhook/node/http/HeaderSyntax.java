package dev.shardhook.node.http;

/** RFC 9110 header grammar, as far as job headers need it. */
final class HeaderSyntax {
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
  private static final int MAX_ECHO = 64;

  private HeaderSyntax() {}

  /** A field name: one or more tchar. */
  static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!alnum && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** A field value the delivery client can send: visible ASCII, spaces and tabs. */
  static boolean isValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} made safe to quote in an error message: short, control characters escaped. */
  static String printable(String s) {
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
