package dev.shardhook.deploy;

import dev.shardhook.proxy.ProxyConfig;
import dev.shardhook.proxy.ProxyServer;
import dev.shardhook.proxy.ProxySettings;
import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.config.StartCommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proxy's real command line (its settings, {@code SHARDHOOK_<SETTING>} variables, {@link
 * ProxyConfig} validation) applied to the environment a manifest gives a proxy, as {@code
 * ProxyMain} builds it.
 */
final class ProxyFlags {
  private static final StartCommand<ProxyConfig> COMMAND =
      new StartCommand<>(
          "shardhook-proxy",
          "deploy check",
          ProxySettings.ALL,
          ProxyConfig::from,
          ProxyServer::start);

  private ProxyFlags() {}

  /**
   * The configuration a proxy with this environment runs with. The proxy reads its shard map while
   * parsing, so {@code SHARDHOOK_SHARD_MAP} (a path inside the container) is pointed at {@code
   * shardMapHere}, the file that would be mounted there.
   */
  static ProxyConfig configFromEnv(Map<String, String> env, Path shardMapHere) {
    Map<String, String> local = new LinkedHashMap<>(env);
    if (local.containsKey("SHARDHOOK_SHARD_MAP")) {
      local.put("SHARDHOOK_SHARD_MAP", shardMapHere.toString());
    }
    try {
      return COMMAND.config(local, List.of());
    } catch (InvalidConfigException e) {
      throw new AssertionError("the proxy rejects this environment: " + e.getMessage(), e);
    }
  }

  /** Every SHARDHOOK_* variable the proxy reads. */
  static Set<String> environmentVariables() {
    return COMMAND.environmentVariables();
  }
}
