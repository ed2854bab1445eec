package dev.shardhook.support;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Reads a flag's default from {@code SHARDHOOK_<FLAG>}, else keeps the field's initial value. */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  /** Every Shardhook flag {@code --x-y} can also be set as {@code SHARDHOOK_X_Y}. */
  public static final String PREFIX = "SHARDHOOK_";

  private final Map<String, String> env;

  public EnvironmentDefaults(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec option && option.longestName().startsWith("--")) {
      String value = env.get(variable(option.longestName()));
      if (value != null) {
        return value;
      }
    }
    return arg.initialValue() == null ? null : String.valueOf(arg.initialValue());
  }

  /** {@code --max-pending} → {@code SHARDHOOK_MAX_PENDING}. */
  public static String variable(String flag) {
    return PREFIX + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
