package dev.shardhook.support.config;

import dev.shardhook.support.InvalidConfigException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Which values a setting takes, and how to say so: a failed check reads {@code <setting>: must be
 * <expected>}.
 *
 * @param <T> the value's type
 */
public record Check<T>(Predicate<? super T> test, String expected) {
  /** Any value. */
  public static <T> Check<T> any() {
    return new Check<>(v -> true, "given");
  }

  public static <T> Check<T> of(Predicate<? super T> test, String expected) {
    return new Check<>(test, expected);
  }

  /** {@code min..max}, both included. */
  public static Check<Number> between(long min, long max) {
    return new Check<>(v -> v.longValue() >= min && v.longValue() <= max, min + ".." + max);
  }

  public static Check<Number> atLeast(long min) {
    return new Check<>(v -> v.longValue() >= min, ">= " + min);
  }

  /** Longer than zero: {@code a positive duration}. */
  public static Check<Duration> positive() {
    return new Check<>(d -> !d.isNegative() && !d.isZero(), "a positive duration");
  }

  /** Zero or longer: {@code >= 0}. */
  public static Check<Duration> notNegative() {
    return new Check<>(d -> !d.isNegative(), ">= 0");
  }

  /** {@code min <= d <= max}, said as {@code expected} ("between 1ms and 10m"). */
  public static Check<Duration> within(Duration min, Duration max, String expected) {
    return new Check<>(d -> within(d, min, max), expected);
  }

  public static boolean within(Duration d, Duration min, Duration max) {
    return d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
  }

  /**
   * For rules across settings, which no one setting's check can see.
   *
   * @throws InvalidConfigException {@code <setting>: must be <expected>} unless {@code ok}
   */
  public static void require(boolean ok, String setting, String expected) {
    if (!ok) {
      throw new InvalidConfigException(setting + ": must be " + expected);
    }
  }
}
