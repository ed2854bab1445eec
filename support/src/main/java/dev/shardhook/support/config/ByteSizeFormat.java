package dev.shardhook.support.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A byte count: {@code 1073741824}, {@code 512MiB}, {@code 1GiB}, {@code 64KiB}, {@code 2TiB}. */
public final class ByteSizeFormat implements ValueFormat<Long> {
  public static final ByteSizeFormat INSTANCE = new ByteSizeFormat();

  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(|b|kib|mib|gib|tib)");
  private static final String[] UNITS = {"TiB", "GiB", "MiB", "KiB"};

  private ByteSizeFormat() {}

  @Override
  public Long parse(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a byte size (examples: 1073741824, 512MiB, 1GiB)");
    }
    int shift =
        switch (m.group(2)) {
          case "kib" -> 10;
          case "mib" -> 20;
          case "gib" -> 30;
          case "tib" -> 40;
          default -> 0;
        };
    long n = Long.parseLong(m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + value + "' is too large");
    }
    return n << shift;
  }

  /** The largest whole binary unit: {@code 512MiB}; plain bytes otherwise. */
  @Override
  public String print(Long bytes) {
    for (int i = 0; i < UNITS.length; i++) {
      int shift = 40 - 10 * i;
      if (bytes > 0 && bytes % (1L << shift) == 0) {
        return (bytes >> shift) + UNITS[i];
      }
    }
    return String.valueOf(bytes);
  }

  @Override
  public String hint() {
    return "bytes";
  }
}
