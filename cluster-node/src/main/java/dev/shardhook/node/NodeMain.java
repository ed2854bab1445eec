package dev.shardhook.node;

import dev.shardhook.node.store.StoreException;
import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.config.StartCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar shardhook-node.jar --node-id a --peers a=h1:9200,b=h2:9200,c=h3:9200 ...}: reads
 * {@link NodeSettings} from flags (each also readable from {@code SHARDHOOK_<SETTING>}), starts a
 * {@link ShardNode} and closes it on SIGTERM.
 */
public final class NodeMain {
  static final StartCommand<NodeConfig> COMMAND =
      new StartCommand<>(
              "shardhook-node",
              "One node of a Shardhook shard (a three-node Raft group).",
              NodeSettings.ALL,
              NodeConfig::from,
              ShardNode::start)
          .withSelfExplaining(StoreException.class);

  private NodeMain() {}

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    COMMAND.runAsMain(args);
  }

  /**
   * The configuration a node started with {@code args} and environment {@code env} runs with, as
   * {@code main} would build it (deployment checks use this to validate manifests).
   *
   * @throws InvalidConfigException naming the setting that is missing, malformed or out of range
   */
  public static NodeConfig parse(Map<String, String> env, String... args) {
    return COMMAND.config(env, List.of(args));
  }

  /** Every environment variable the node reads: {@code SHARDHOOK_<SETTING>} for each setting. */
  public static Set<String> environmentVariables() {
    return COMMAND.environmentVariables();
  }
}
