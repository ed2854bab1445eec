package dev.shardhook.proxy;

import dev.shardhook.support.DurationConverter;
import dev.shardhook.support.EnvironmentDefaults;
import dev.shardhook.support.InvalidConfigException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar shardhook-proxy.jar --shard-map shards.json}: parses flags (each also readable
 * from {@code SHARDHOOK_<FLAG>}), starts a {@link ProxyServer} and closes it on SIGTERM. Bad flags
 * print one line on stderr and exit with 2; a failure to start exits with 1.
 */
@Command(
    name = "shardhook-proxy",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "The stateless sharding proxy in front of Shardhook shards.",
    footer = "Every flag can also be set as SHARDHOOK_<FLAG> (--shard-map -> SHARDHOOK_SHARD_MAP).")
public final class ProxyMain implements Callable<Integer> {
  static final String NAME = "shardhook-proxy";

  @Option(names = "--http-host", description = "HTTP bind address (default: ${DEFAULT-VALUE}).")
  String httpHost = ProxyConfig.DEFAULT_HTTP_HOST;

  @Option(names = "--http-port", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int httpPort = ProxyConfig.DEFAULT_HTTP_PORT;

  @Option(
      names = "--shard-map",
      description = "Shard map file: JSON, or YAML when named *.yaml or *.yml.")
  Path shardMap;

  @Option(
      names = "--shards",
      description = "Shard map inline, one epoch: shard-0=http://h:9100,http://h:9101;shard-1=...")
  String shards;

  @Option(
      names = "--forward-timeout",
      converter = DurationConverter.class,
      description = "Longest wait for a shard's answer, then 504 (default: 15s).")
  Duration forwardTimeout = ProxyConfig.DEFAULT_FORWARD_TIMEOUT;

  @Option(
      names = "--connect-timeout",
      converter = DurationConverter.class,
      description = "Longest wait for a connection to a node (default: 500ms).")
  Duration connectTimeout = ProxyConfig.DEFAULT_CONNECT_TIMEOUT;

  @Option(
      names = "--max-request-bytes",
      description = "Largest request body, then 413 (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes = ProxyConfig.DEFAULT_MAX_REQUEST_BYTES;

  @Option(
      names = "--status-interval",
      converter = DurationConverter.class,
      description = "How often each node's /status is polled (default: 1s).")
  Duration statusInterval = ProxyConfig.DEFAULT_STATUS_INTERVAL;

  private final PrintWriter err;

  ProxyMain(PrintWriter err) {
    this.err = err;
  }

  public static void main(String[] args) {
    int code = commandLine(new PrintWriter(System.err, true), System.getenv()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
    // Started: Jetty's non-daemon threads keep the JVM up until the shutdown hook closes it.
  }

  static CommandLine commandLine(PrintWriter err, Map<String, String> env) {
    CommandLine cl = new CommandLine(new ProxyMain(err));
    cl.setErr(err);
    cl.setDefaultValueProvider(new EnvironmentDefaults(env));
    cl.setParameterExceptionHandler(
        (e, args) -> {
          err.println(NAME + ": " + e.getMessage() + " (see --help)");
          return 2;
        });
    return cl;
  }

  /** Validates the flags into a config; {@link InvalidConfigException} names the bad one. */
  ProxyConfig config() {
    if (shardMap != null && shards != null) {
      throw new InvalidConfigException("give --shard-map or --shards, not both");
    }
    if (shardMap == null && shards == null) {
      throw new InvalidConfigException(
          "shard-map: required (--shard-map FILE or --shards shard-0=http://host:port,...)");
    }
    return ProxyConfig.builder()
        .httpHost(httpHost)
        .httpPort(httpPort)
        .shardMap(shardMap != null ? ShardMap.read(shardMap) : ShardMap.parse(shards))
        .forwardTimeout(forwardTimeout)
        .connectTimeout(connectTimeout)
        .maxRequestBytes(maxRequestBytes)
        .statusInterval(statusInterval)
        .build();
  }

  @Override
  public Integer call() {
    ProxyConfig config;
    try {
      config = config();
    } catch (InvalidConfigException e) {
      err.println(NAME + ": invalid configuration: " + e.getMessage());
      return 2;
    }
    ProxyServer server;
    try {
      server = ProxyServer.start(config);
    } catch (UncheckedIOException e) {
      err.println(NAME + ": cannot start: " + e.getMessage() + causeOf(e));
      return 1;
    } catch (RuntimeException e) {
      err.println(NAME + ": cannot start: " + e + causeOf(e));
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    return 0;
  }

  private static String causeOf(Throwable e) {
    return e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
  }
}
