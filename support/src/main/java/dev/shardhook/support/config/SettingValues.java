package dev.shardhook.support.config;

import dev.shardhook.support.InvalidConfigException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a list of settings, read from command-line flags and the environment: a flag wins
 * over its {@code SHARDHOOK_*} variable, which wins over the default. Values are parsed here; the
 * configs built from them check their ranges.
 */
public final class SettingValues {
  private final Map<Setting<?>, Object> values;

  private SettingValues(Map<Setting<?>, Object> values) {
    this.values = values;
  }

  /**
   * Flags are {@code --name value} or {@code --name=value}; a switch is {@code --name} (or {@code
   * --name=false}).
   *
   * @throws InvalidConfigException for an unknown flag, a value that does not parse (naming the
   *     flag or the variable it came from), or a required setting given nowhere
   */
  public static SettingValues read(
      List<Setting<?>> settings, List<String> args, Map<String, String> env) {
    Map<String, Setting<?>> byFlag = new HashMap<>();
    for (Setting<?> s : settings) {
      if (byFlag.put(s.flag(), s) != null) {
        throw new IllegalArgumentException("setting " + s.flag() + " declared twice");
      }
    }
    Map<Setting<?>, String> given = flags(byFlag, args);
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      String source = s.flag();
      String text = given.get(s);
      if (text == null) {
        source = s.environmentVariable();
        text = env.get(source);
      }
      if (text != null) {
        values.put(s, parse(s, source, text));
      } else if (s.isRequired()) {
        throw new InvalidConfigException(
            s.name() + ": required (" + s.flag() + " or " + s.environmentVariable() + ")");
      } else {
        values.put(s, s.defaultValue().orElse(null));
      }
    }
    return new SettingValues(values);
  }

  private static Map<Setting<?>, String> flags(Map<String, Setting<?>> byFlag, List<String> args) {
    Map<Setting<?>, String> given = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new InvalidConfigException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String flag = eq < 0 ? arg : arg.substring(0, eq);
      Setting<?> s = byFlag.get(flag);
      if (s == null) {
        throw new InvalidConfigException("unknown flag '" + flag + "'");
      }
      String text;
      if (eq >= 0) {
        text = arg.substring(eq + 1);
      } else if (s.isToggle()) {
        text = "true";
      } else if (i + 1 < args.size()) {
        text = args.get(++i);
      } else {
        throw new InvalidConfigException(flag + ": needs a value");
      }
      if (given.put(s, text) != null) {
        throw new InvalidConfigException(flag + ": given more than once");
      }
    }
    return given;
  }

  private static Object parse(Setting<?> s, String source, String text) {
    try {
      return s.format().parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(source + ": " + e.getMessage());
    }
  }

  /**
   * The value given or defaulted; null for a setting that may be absent and was.
   *
   * @throws IllegalArgumentException for a setting that was not read (a bug)
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    if (!values.containsKey(setting)) {
      throw new IllegalArgumentException(setting.flag() + " was not read");
    }
    return (T) values.get(setting);
  }
}
