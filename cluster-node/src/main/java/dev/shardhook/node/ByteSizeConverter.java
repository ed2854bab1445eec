package dev.shardhook.node;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;

/** A byte count: {@code 1073741824}, {@code 512MiB}, {@code 1GiB}, {@code 64KiB}, {@code 2TiB}. */
final class ByteSizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(|b|kib|mib|gib|tib)");

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
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
      throw new CommandLine.TypeConversionException("'" + value + "' is too large");
    }
    return n << shift;
  }
}
