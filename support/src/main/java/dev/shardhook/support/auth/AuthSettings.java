package dev.shardhook.support.auth;

import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.config.Setting;
import dev.shardhook.support.config.SettingMap;
import java.nio.file.Path;
import java.util.List;

/** The settings both servers authenticate requests with. */
public final class AuthSettings {
  public static final Setting<Path> TENANTS_FILE =
      Setting.path(
          "tenants-file",
          null,
          "The tenants file: API key hashes with roles, signing secrets and quotas per tenant"
              + " (README, Security). Re-read within a second of a change.");
  public static final Setting<Boolean> INSECURE_NO_AUTH =
      Setting.toggle(
          "insecure-no-auth",
          "Serve without API keys: every request acts as the admin of tenant 'default'."
              + " Only for local experiments.");

  /** In the order {@code --help} and the README list them. */
  public static final List<Setting<?>> ALL = List.of(TENANTS_FILE, INSECURE_NO_AUTH);

  private AuthSettings() {}

  /**
   * The tenants file from checked values, or null without keys.
   *
   * @throws InvalidConfigException unless exactly one of the two settings is given
   */
  public static Path tenantsFile(SettingMap values) {
    Path file = values.get(TENANTS_FILE);
    boolean open = values.get(INSECURE_NO_AUTH);
    if (file == null && !open) {
      throw new InvalidConfigException(
          "no API keys: give --tenants-file PATH (README, Security), or --insecure-no-auth to"
              + " serve anyone who can reach this port");
    }
    if (file != null && open) {
      throw new InvalidConfigException("give --tenants-file or --insecure-no-auth, not both");
    }
    return file;
  }
}
