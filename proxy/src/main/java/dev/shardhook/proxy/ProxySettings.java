package dev.shardhook.proxy;

import dev.shardhook.support.auth.AuthSettings;
import dev.shardhook.support.config.BreakerConfig;
import dev.shardhook.support.config.BreakerSettings;
import dev.shardhook.support.config.Check;
import dev.shardhook.support.config.Setting;
import dev.shardhook.support.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every setting of the proxy, declared once: flag, environment variable, default, meaning and
 * range. {@link ProxyMain} reads them; {@link ProxyConfig} checks its values against them. The
 * README's proxy settings table has one row per setting.
 */
public final class ProxySettings {
  public static final Setting<String> HTTP_HOST =
      Setting.text("http-host", "0.0.0.0", "HTTP bind address.")
          .validWhen(Check.of(s -> !s.isBlank(), "a host name or address"));
  public static final Setting<Integer> HTTP_PORT =
      Setting.integer("http-port", 8080, "HTTP port (0 picks a free one).")
          .validWhen(Check.between(0, 65535));
  public static final Setting<Path> SHARD_MAP =
      Setting.path("shard-map", null, "Shard map file: JSON, or YAML when named *.yaml or *.yml.");
  public static final Setting<String> SHARDS =
      Setting.text(
          "shards",
          null,
          "Shard map inline, one epoch: shard-0=http://h:9100,http://h:9101;shard-1=... (give"
              + " this or --shard-map).");

  /**
   * Longer than a node's own 10 s commit timeout, so that a slow commit comes back as the node's
   * answer (201, or 503 with its reason) rather than as a 504 that leaves the client guessing.
   */
  public static final Setting<Duration> FORWARD_TIMEOUT =
      Setting.duration(
              "forward-timeout",
              Duration.ofSeconds(15),
              "Longest wait for a shard's answer, fallbacks to other nodes included, then 504.")
          .validWhen(
              Check.within(Duration.ofMillis(1), Duration.ofMinutes(10), "between 1ms and 10m"));

  /** Short: a node that does not accept a connection quickly is treated as down. */
  public static final Setting<Duration> CONNECT_TIMEOUT =
      Setting.duration(
              "connect-timeout",
              Duration.ofMillis(500),
              "Longest wait for a connection to a node, then it counts as unreachable.")
          .validWhen(
              Check.of(
                  d -> d.compareTo(Duration.ofMillis(1)) >= 0,
                  "between 1ms and the forward timeout"));

  public static final Setting<Integer> MAX_REQUEST_BYTES =
      Setting.integer("max-request-bytes", 1 << 20, "Largest request body, then 413.")
          .validWhen(Check.of(n -> n >= 1024 && n <= 256 << 20, "between 1024 and " + (256 << 20)));
  public static final Setting<Duration> STATUS_INTERVAL =
      Setting.duration(
              "status-interval",
              Duration.ofSeconds(1),
              "About how often each node's /status is polled (jittered by 20%).")
          .validWhen(
              Check.within(Duration.ofMillis(50), Duration.ofHours(1), "between 50ms and 1h"));

  /**
   * Each node's circuit breaker. A failure is a call that could not connect, broke off or timed
   * out, or a 5xx other than 503 (503 is a node answering correctly that its group has no leader).
   */
  public static final BreakerSettings BREAKER =
      new BreakerSettings(
          "breaker-",
          "a node's circuit breaker",
          new BreakerConfig(Duration.ofSeconds(5), 10, 5, 50, 2));

  /** In the order {@code --help} and the README list them. */
  public static final List<Setting<?>> ALL =
      Stream.concat(
              Stream.of(
                  SHARD_MAP,
                  SHARDS,
                  HTTP_HOST,
                  HTTP_PORT,
                  FORWARD_TIMEOUT,
                  CONNECT_TIMEOUT,
                  MAX_REQUEST_BYTES,
                  STATUS_INTERVAL,
                  // TLS: HTTPS for clients; towards the nodes, this certificate as client's
                  TlsSettings.CERT,
                  TlsSettings.KEY,
                  TlsSettings.CA),
              Stream.concat(AuthSettings.ALL.stream(), BREAKER.all().stream()))
          .toList();

  private ProxySettings() {}
}
