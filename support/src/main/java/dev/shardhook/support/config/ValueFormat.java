package dev.shardhook.support.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How a setting's value is written in a flag or an environment variable.
 *
 * @param <T> the value's type
 */
public interface ValueFormat<T> {
  /**
   * @throws IllegalArgumentException with a message quoting the text and saying what was expected
   */
  T parse(String text);

  /** The value as a user would write it (defaults in {@code --help}). */
  default String print(T value) {
    return String.valueOf(value);
  }

  /** What the value looks like, for {@code --help}: {@code int}, {@code duration}, ... */
  String hint();

  ValueFormat<String> TEXT = of("text", s -> s);
  ValueFormat<Path> PATH = of("path", Path::of);
  ValueFormat<Integer> INT =
      of("int", s -> (int) parseLong(s, Integer.MIN_VALUE, Integer.MAX_VALUE));
  ValueFormat<Long> LONG = of("long", s -> parseLong(s, Long.MIN_VALUE, Long.MAX_VALUE));

  /** A switch: {@code --flag} alone means true; {@code true}/{@code false} in the environment. */
  ValueFormat<Boolean> BOOLEAN = of("", ValueFormat::parseBoolean);

  private static <T> ValueFormat<T> of(String hint, java.util.function.Function<String, T> parse) {
    return new ValueFormat<>() {
      @Override
      public T parse(String text) {
        return parse.apply(text);
      }

      @Override
      public String hint() {
        return hint;
      }
    };
  }

  private static long parseLong(String text, long min, long max) {
    long v;
    try {
      v = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("'" + text + "' is out of range");
    }
    return v;
  }

  private static boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
    };
  }
}
