package dev.shardhook.support.config;

import dev.shardhook.support.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One setting, declared once: its name (the flag {@code --name}, the environment variable {@code
 * SHARDHOOK_NAME}), how its value is written, its default, what it means, and which values it
 * takes. {@link SettingValues} reads settings from flags and the environment; the configs check
 * their values with {@link #check}, whether they came from there or from a builder.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
  /** Every setting {@code x-y} can also be set as {@code SHARDHOOK_X_Y}. */
  public static final String ENV_PREFIX = "SHARDHOOK_";

  private final String name;
  private final ValueFormat<T> format;
  private final T defaultValue;
  private final boolean required;
  private final String description;
  private final Check<? super T> check;

  private Setting(
      String name,
      ValueFormat<T> format,
      T defaultValue,
      boolean required,
      String description,
      Check<? super T> check) {
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("setting name '" + name + "' is not kebab-case");
    }
    this.name = name;
    this.format = format;
    this.defaultValue = defaultValue;
    this.required = required;
    this.description = description;
    this.check = check;
  }

  /** A setting of any format; {@code defaultValue} null: none (absent unless given). */
  public static <T> Setting<T> of(
      String name, ValueFormat<T> format, T defaultValue, String description) {
    return new Setting<>(name, format, defaultValue, false, description, Check.any());
  }

  public static Setting<String> text(String name, String defaultValue, String description) {
    return of(name, ValueFormat.TEXT, defaultValue, description);
  }

  public static Setting<Path> path(String name, Path defaultValue, String description) {
    return of(name, ValueFormat.PATH, defaultValue, description);
  }

  public static Setting<Integer> integer(String name, int defaultValue, String description) {
    return of(name, ValueFormat.INT, defaultValue, description);
  }

  public static Setting<Long> number(String name, long defaultValue, String description) {
    return of(name, ValueFormat.LONG, defaultValue, description);
  }

  public static Setting<Duration> duration(String name, Duration defaultValue, String description) {
    return of(name, DurationFormat.INSTANCE, defaultValue, description);
  }

  /** A byte count, written {@code 1048576} or {@code 1MiB}. */
  public static Setting<Long> bytes(String name, long defaultValue, String description) {
    return of(name, ByteSizeFormat.INSTANCE, defaultValue, description);
  }

  /** A switch, off by default: {@code --name} turns it on. */
  public static Setting<Boolean> toggle(String name, String description) {
    return of(name, ValueFormat.BOOLEAN, false, description);
  }

  /** This setting without a default: start-up fails unless it is given. */
  public Setting<T> required() {
    return new Setting<>(name, format, null, true, description, check);
  }

  /** This setting, taking only the values {@code check} passes. */
  public Setting<T> validWhen(Check<? super T> check) {
    return new Setting<>(name, format, defaultValue, required, description, check);
  }

  public String name() {
    return name;
  }

  /** {@code --max-pending}. */
  public String flag() {
    return "--" + name;
  }

  /** {@code SHARDHOOK_MAX_PENDING}. */
  public String environmentVariable() {
    return ENV_PREFIX + name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  public ValueFormat<T> format() {
    return format;
  }

  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public boolean isRequired() {
    return required;
  }

  /** A switch takes no value after its flag. */
  public boolean isToggle() {
    return format == ValueFormat.BOOLEAN;
  }

  public String description() {
    return description;
  }

  /**
   * Returns {@code value} if this setting takes it. Null passes only for a setting that may be
   * absent (neither required nor defaulted).
   *
   * @throws InvalidConfigException {@code <name>: must be <expected>}
   */
  public T check(T value) {
    boolean ok = value == null ? !required && defaultValue == null : check.test().test(value);
    Check.require(ok, name, check.expected());
    return value;
  }

  /** The default as a user would write it, {@code required}, or {@code none}. */
  public String defaultText() {
    if (required) {
      return "required";
    }
    return defaultValue == null ? "none" : format.print(defaultValue);
  }

  @Override
  public String toString() {
    return flag();
  }
}
