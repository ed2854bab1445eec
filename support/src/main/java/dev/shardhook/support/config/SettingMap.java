package dev.shardhook.support.config;

import dev.shardhook.support.InvalidConfigException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked value for each of a list of settings: what a config holds. Immutable; built by a {@link
 * Builder} that starts from the defaults.
 */
public final class SettingMap {
  private final List<Setting<?>> settings;
  private final Map<Setting<?>, Object> values;

  private SettingMap(List<Setting<?>> settings, Map<Setting<?>, Object> values) {
    this.settings = settings;
    Map<Setting<?>, Object> present = new HashMap<>(values);
    present.values().removeIf(v -> v == null);
    this.values = Map.copyOf(present);
  }

  /** A builder holding each setting's default (null where it has none). */
  public static Builder defaults(List<Setting<?>> settings) {
    return new Builder(List.copyOf(settings));
  }

  /** The value; null for a setting that may be absent and is. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /** A builder holding these values, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder(settings);
    b.values.putAll(values);
    return b;
  }

  /** Collects values; {@link #build()} checks each against its setting. */
  public static final class Builder {
    private final List<Setting<?>> settings;
    private final Map<Setting<?>, Object> values = new HashMap<>();

    private Builder(List<Setting<?>> settings) {
      this.settings = settings;
      settings.forEach(s -> values.put(s, s.defaultValue().orElse(null)));
    }

    /**
     * @throws IllegalArgumentException for a setting not in the list (a bug)
     */
    public <T> Builder set(Setting<T> setting, T value) {
      if (!settings.contains(setting)) {
        throw new IllegalArgumentException(setting.flag() + " is not one of these settings");
      }
      values.put(setting, value);
      return this;
    }

    /** Every setting of the list that {@code read} has (read from flags and the environment). */
    public Builder setAll(SettingValues read) {
      settings.forEach(s -> values.put(s, read.get(s)));
      return this;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
      return (T) values.get(setting);
    }

    /**
     * @throws InvalidConfigException naming the first setting, in list order, whose value it does
     *     not take
     */
    public SettingMap build() {
      settings.forEach(s -> check(s, values.get(s)));
      return new SettingMap(settings, values);
    }

    @SuppressWarnings("unchecked")
    private static <T> void check(Setting<T> setting, Object value) {
      setting.check((T) value);
    }
  }
}
