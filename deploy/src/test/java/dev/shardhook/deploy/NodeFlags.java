package dev.shardhook.deploy;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeMain;
import dev.shardhook.support.InvalidConfigException;
import java.util.Map;
import java.util.Set;

/**
 * The node's real command line ({@link NodeMain}: picocli options, {@code SHARDHOOK_<FLAG>}
 * environment defaults, duration parsing, {@link NodeConfig} validation) applied to the environment
 * a manifest gives a node.
 */
final class NodeFlags {
  static final String PREFIX = "SHARDHOOK_";

  private NodeFlags() {}

  /** The configuration a node started with no arguments and this environment would run with. */
  static NodeConfig configFromEnv(Map<String, String> env) {
    try {
      return NodeMain.parse(env);
    } catch (InvalidConfigException e) {
      throw new AssertionError("the node rejects this environment: " + e.getMessage(), e);
    }
  }

  /** Every SHARDHOOK_* variable the node reads: one per long flag (--max-pending: MAX_PENDING). */
  static Set<String> environmentVariables() {
    return NodeMain.environmentVariables();
  }
}
