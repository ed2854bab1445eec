package dev.shardhook.proxy;

import dev.shardhook.support.InvalidConfigException;
import java.time.Duration;

/**
 * Everything a proxy needs to start. Immutable; {@link Builder#build()} validates and throws {@link
 * InvalidConfigException} naming the bad setting by its flag.
 */
public final class ProxyConfig {
  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final int DEFAULT_HTTP_PORT = 8080;

  /**
   * Longer than a node's own 10 s commit timeout, so that a slow commit comes back as the node's
   * answer (201, or 503 with its reason) rather than as a 504 that leaves the client guessing.
   */
  public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(15);

  /** Short: a node that does not accept a connection quickly is treated as down. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(500);

  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;
  public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(1);

  /** How long a node's circuit breaker stays open before letting a trial request through. */
  public static final Duration DEFAULT_BREAKER_OPEN_DURATION = Duration.ofSeconds(5);

  private final String httpHost;
  private final int httpPort;
  private final ShardMap shardMap;
  private final Duration forwardTimeout;
  private final Duration connectTimeout;
  private final int maxRequestBytes;
  private final Duration statusInterval;
  private final Duration breakerOpenDuration;

  private ProxyConfig(Builder b) {
    httpHost = b.httpHost;
    httpPort = b.httpPort;
    shardMap = b.shardMap;
    forwardTimeout = b.forwardTimeout;
    connectTimeout = b.connectTimeout;
    maxRequestBytes = b.maxRequestBytes;
    statusInterval = b.statusInterval;
    breakerOpenDuration = b.breakerOpenDuration;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.httpHost = httpHost;
    b.httpPort = httpPort;
    b.shardMap = shardMap;
    b.forwardTimeout = forwardTimeout;
    b.connectTimeout = connectTimeout;
    b.maxRequestBytes = maxRequestBytes;
    b.statusInterval = statusInterval;
    b.breakerOpenDuration = breakerOpenDuration;
    return b;
  }

  public String httpHost() {
    return httpHost;
  }

  /** The HTTP port; 0 picks a free one (see {@link ProxyServer#port()}). */
  public int httpPort() {
    return httpPort;
  }

  public ShardMap shardMap() {
    return shardMap;
  }

  /** The longest a request waits for its shard, fallbacks to other nodes included (then 504). */
  public Duration forwardTimeout() {
    return forwardTimeout;
  }

  /** The longest a connection to a node may take before the node counts as unreachable. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The largest request body accepted (then 413). */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** About how often each node's {@code /status} is polled (jittered by ±20%). */
  public Duration statusInterval() {
    return statusInterval;
  }

  public Duration breakerOpenDuration() {
    return breakerOpenDuration;
  }

  /** Collects a {@link ProxyConfig}; defaults are the {@code DEFAULT_*} constants. */
  public static final class Builder {
    private String httpHost = DEFAULT_HTTP_HOST;
    private int httpPort = DEFAULT_HTTP_PORT;
    private ShardMap shardMap;
    private Duration forwardTimeout = DEFAULT_FORWARD_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Duration statusInterval = DEFAULT_STATUS_INTERVAL;
    private Duration breakerOpenDuration = DEFAULT_BREAKER_OPEN_DURATION;

    private Builder() {}

    public Builder httpHost(String v) {
      httpHost = v;
      return this;
    }

    public Builder httpPort(int v) {
      httpPort = v;
      return this;
    }

    public Builder shardMap(ShardMap v) {
      shardMap = v;
      return this;
    }

    public Builder forwardTimeout(Duration v) {
      forwardTimeout = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder maxRequestBytes(int v) {
      maxRequestBytes = v;
      return this;
    }

    public Builder statusInterval(Duration v) {
      statusInterval = v;
      return this;
    }

    public Builder breakerOpenDuration(Duration v) {
      breakerOpenDuration = v;
      return this;
    }

    /**
     * @throws InvalidConfigException naming the first bad setting
     */
    public ProxyConfig build() {
      require(httpHost != null && !httpHost.isBlank(), "http-host", "a host name or address");
      require(httpPort >= 0 && httpPort < 65536, "http-port", "0..65535");
      require(shardMap != null, "shard-map", "given (--shard-map FILE or --shards SPEC)");
      require(
          within(forwardTimeout, Duration.ofMillis(1), Duration.ofMinutes(10)),
          "forward-timeout",
          "between 1ms and 10m");
      require(
          within(connectTimeout, Duration.ofMillis(1), forwardTimeout),
          "connect-timeout",
          "between 1ms and the forward timeout");
      require(
          maxRequestBytes >= 1024 && maxRequestBytes <= 256 << 20,
          "max-request-bytes",
          "between 1024 and 268435456");
      require(
          within(statusInterval, Duration.ofMillis(50), Duration.ofHours(1)),
          "status-interval",
          "between 50ms and 1h");
      require(
          within(breakerOpenDuration, Duration.ofMillis(1), Duration.ofHours(1)),
          "breaker-open-duration",
          "between 1ms and 1h");
      return new ProxyConfig(this);
    }

    private static boolean within(Duration d, Duration min, Duration max) {
      return d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    }

    private static void require(boolean ok, String setting, String expected) {
      if (!ok) {
        throw new InvalidConfigException(setting + ": must be " + expected);
      }
    }
  }
}
