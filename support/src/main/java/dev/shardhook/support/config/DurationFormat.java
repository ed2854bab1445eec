package dev.shardhook.support.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code PT10S} (ISO-8601) or {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1d}. */
public final class DurationFormat implements ValueFormat<Duration> {
  public static final DurationFormat INSTANCE = new DurationFormat();

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private DurationFormat() {}

  @Override
  public Duration parse(String value) {
    Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration (examples: 10s, 500ms, 2m, PT10S)");
    }
  }

  /** The largest whole unit: {@code 7d}, {@code 24h}, {@code 10s}, {@code 500ms}. */
  @Override
  public String print(Duration d) {
    long ms = d.toMillis();
    if (ms == 0 || !d.equals(Duration.ofMillis(ms))) {
      return d.toString();
    }
    long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000, 1};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return d.toString();
  }

  @Override
  public String hint() {
    return "duration";
  }
}
