package dev.shardhook.proxy;

import dev.shardhook.support.config.StartCommand;

/**
 * {@code java -jar shardhook-proxy.jar --shard-map shards.json}: reads {@link ProxySettings} from
 * flags (each also readable from {@code SHARDHOOK_<SETTING>}), starts a {@link ProxyServer} and
 * closes it on SIGTERM. Bad flags print one line on stderr and exit with 2; a failure to start
 * exits with 1.
 */
public final class ProxyMain {
  static final StartCommand<ProxyConfig> COMMAND =
      new StartCommand<>(
          "shardhook-proxy",
          "The stateless sharding proxy in front of Shardhook shards.",
          ProxySettings.ALL,
          ProxyConfig::from,
          ProxyServer::start);

  private ProxyMain() {}

  public static void main(String[] args) {
    COMMAND.runAsMain(args);
  }
}
