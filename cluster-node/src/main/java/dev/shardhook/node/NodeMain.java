package dev.shardhook.node;

import dev.shardhook.node.store.StoreException;
import dev.shardhook.support.DurationConverter;
import dev.shardhook.support.EnvironmentDefaults;
import dev.shardhook.support.InvalidConfigException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code java -jar shardhook-node.jar --node-id a --peers a=h1:9200,b=h2:9200,c=h3:9200 ...}:
 * parses flags (each also readable from {@code SHARDHOOK_<FLAG>}), starts a {@link ShardNode} and
 * closes it on SIGTERM.
 */
@Command(
    name = "shardhook-node",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "One node of a Shardhook shard (a three-node Raft group).",
    footer =
        "Every flag can also be set as SHARDHOOK_<FLAG> (--max-pending -> SHARDHOOK_MAX_PENDING).")
public final class NodeMain implements Callable<Integer> {

  @Option(names = "--node-id", description = "This node's id, one of the --peers ids.")
  String nodeId;

  @Option(names = "--shard-id", description = "The shard's id (default: ${DEFAULT-VALUE}).")
  String shardId = "shard-0";

  @Option(
      names = "--peers",
      description = "The Raft group: a=host:port,b=host:port,c=host:port (gRPC addresses).")
  String peers;

  @Option(names = "--http-host", description = "HTTP bind address (default: ${DEFAULT-VALUE}).")
  String httpHost = "0.0.0.0";

  @Option(names = "--http-port", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int httpPort = NodeConfig.DEFAULT_HTTP_PORT;

  @Option(
      names = "--data-dir",
      description = "RocksDB (db/) and the Raft log (ratis/) (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("data");

  @Option(
      names = "--workers",
      description = "Delivery attempts in flight on the leader (default: ${DEFAULT-VALUE}).")
  int workers = NodeConfig.DEFAULT_WORKERS;

  @Option(
      names = "--per-host-concurrency",
      description = "Attempts in flight to one host (default: ${DEFAULT-VALUE}).")
  int perHostConcurrency = NodeConfig.DEFAULT_PER_HOST_CONCURRENCY;

  @Option(
      names = "--max-pending",
      description = "Pending jobs per shard before 429 (default: ${DEFAULT-VALUE}).")
  long maxPending = NodeConfig.DEFAULT_MAX_PENDING;

  @Option(
      names = "--max-request-bytes",
      description = "Largest request body (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes = NodeConfig.DEFAULT_MAX_REQUEST_BYTES;

  @Option(names = "--max-body-bytes", description = "Largest job body (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes = NodeConfig.DEFAULT_MAX_BODY_BYTES;

  @Option(
      names = "--signing-secret",
      description = "whsec_<base64>: sign deliveries per Standard Webhooks.")
  String signingSecret;

  @Option(
      names = "--allow-private-targets",
      description = "Allow webhook targets on loopback, private and link-local addresses.")
  boolean allowPrivateTargets;

  @Option(
      names = "--attempt-timeout",
      converter = DurationConverter.class,
      description = "Per-attempt timeout for jobs that set none (default: 10s).")
  Duration attemptTimeout = NodeConfig.DEFAULT_ATTEMPT_TIMEOUT;

  @Option(
      names = "--idempotency-window",
      converter = DurationConverter.class,
      description = "How long idempotency keys are kept (default: 24h).")
  Duration idempotencyWindow = NodeConfig.DEFAULT_IDEMPOTENCY_WINDOW;

  @Option(
      names = "--shutdown-grace",
      converter = DurationConverter.class,
      description =
          "SIGTERM's budget for handing leadership over, in-flight attempts and their outcomes"
              + " (default: 20s).")
  Duration shutdownGrace = NodeConfig.DEFAULT_SHUTDOWN_GRACE;

  @Option(
      names = "--snapshot-threshold",
      description = "Raft entries between automatic snapshots (default: ${DEFAULT-VALUE}).")
  long snapshotThreshold = NodeConfig.DEFAULT_SNAPSHOT_THRESHOLD;

  @Option(
      names = "--shard-map",
      description =
          "The proxies' shard map (JSON): refuse job ids this shard does not own with 421.")
  Path shardMap;

  @Option(
      names = "--retention",
      converter = DurationConverter.class,
      description = "How long finished jobs stay readable before they are purged (default: 7d).")
  Duration retention = NodeConfig.DEFAULT_RETENTION;

  @Option(
      names = "--min-free-disk",
      converter = ByteSizeConverter.class,
      description = "Free space the data disk keeps: below it new jobs get 507 (default: 512MiB).")
  long minFreeDisk = NodeConfig.DEFAULT_MIN_FREE_DISK_BYTES;

  private final PrintWriter err;

  NodeMain(PrintWriter err) {
    this.err = err;
  }

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    int code = commandLine(new PrintWriter(System.err, true), System.getenv()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
    // Started: Ratis's non-daemon threads keep the JVM up until the shutdown hook closes the node.
  }

  /**
   * The configuration a node started with {@code args} and environment {@code env} runs with, as
   * {@code main} would build it (deployment checks use this to validate manifests).
   *
   * @throws InvalidConfigException naming the flag that is missing, malformed or out of range
   */
  public static NodeConfig parse(Map<String, String> env, String... args) {
    CommandLine cl = commandLine(new PrintWriter(Writer.nullWriter()), env);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new InvalidConfigException(e.getMessage());
    }
    return cl.<NodeMain>getCommand().config();
  }

  /** Every environment variable the node reads: {@code SHARDHOOK_<FLAG>} for each long flag. */
  public static Set<String> environmentVariables() {
    Set<String> names = new TreeSet<>();
    for (OptionSpec option : new CommandLine(new NodeMain(null)).getCommandSpec().options()) {
      String flag = option.longestName();
      if (flag.startsWith("--") && !flag.equals("--help") && !flag.equals("--version")) {
        names.add(EnvironmentDefaults.variable(flag));
      }
    }
    return names;
  }

  static CommandLine commandLine(PrintWriter err, Map<String, String> env) {
    CommandLine cl = new CommandLine(new NodeMain(err));
    cl.setErr(err);
    cl.setDefaultValueProvider(new EnvironmentDefaults(env));
    return cl;
  }

  /** Validates the flags into a config; {@link InvalidConfigException} names the bad one. */
  NodeConfig config() {
    if (nodeId == null) {
      throw new InvalidConfigException("node-id: required (--node-id or SHARDHOOK_NODE_ID)");
    }
    if (peers == null) {
      throw new InvalidConfigException("peers: required (--peers a=host:port,b=host:port,...)");
    }
    return NodeConfig.builder()
        .nodeId(nodeId)
        .shardId(shardId)
        .peers(peers)
        .httpHost(httpHost)
        .httpPort(httpPort)
        .dataDir(dataDir)
        .workers(workers)
        .perHostConcurrency(perHostConcurrency)
        .maxPending(maxPending)
        .maxRequestBytes(maxRequestBytes)
        .maxBodyBytes(maxBodyBytes)
        .signingSecret(signingSecret)
        .allowPrivateTargets(allowPrivateTargets)
        .attemptTimeout(attemptTimeout)
        .idempotencyWindow(idempotencyWindow)
        .shutdownGrace(shutdownGrace)
        .snapshotThreshold(snapshotThreshold)
        .shardMap(shardMap)
        .retention(retention)
        .minFreeDiskBytes(minFreeDisk)
        .build();
  }

  @Override
  public Integer call() {
    NodeConfig config;
    try {
      config = config();
    } catch (InvalidConfigException e) {
      err.println("shardhook-node: invalid configuration: " + e.getMessage());
      return 2;
    }
    ShardNode node;
    try {
      node = ShardNode.start(config);
    } catch (InvalidConfigException e) {
      err.println("shardhook-node: invalid configuration: " + e.getMessage());
      return 2;
    } catch (UncheckedIOException | StoreException e) {
      err.println("shardhook-node: cannot start: " + e.getMessage() + causeOf(e));
      return 1;
    } catch (Exception e) {
      err.println("shardhook-node: cannot start: " + e + causeOf(e));
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "shutdown"));
    return 0;
  }

  private static String causeOf(Throwable e) {
    return e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
  }
}
