package dev.shardhook.proxy;

import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.http.ProxyRoutes;
import dev.shardhook.proxy.routing.EpochRings;
import dev.shardhook.proxy.routing.JobHomes;
import dev.shardhook.proxy.routing.RoutingIds;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.StatusPoller;
import dev.shardhook.proxy.upstream.UpstreamNode;
import dev.shardhook.proxy.upstream.UpstreamShard;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.auth.TenantsSource;
import dev.shardhook.support.http.ApiServer;
import dev.shardhook.support.http.Routes;
import dev.shardhook.support.tls.TlsIdentity;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: the shard map's nodes with their breakers, the status poller and the HTTP API,
 * wired together and shut down in order. {@link ProxyMain} only parses flags and calls {@link
 * #start}. Stateless: any number of proxies with the same map route every id the same way.
 */
public final class ProxyServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  /** Idle keep-alive connections kept per node; busier moments open more. */
  static final int IDLE_CONNECTIONS_PER_NODE = 16;

  /**
   * A node slower than this to answer {@code /status} counts as down: the status interval, but
   * within these bounds, so a short interval does not mark busy nodes down.
   */
  static final Duration MIN_POLL_TIMEOUT = Duration.ofSeconds(1);

  static final Duration MAX_POLL_TIMEOUT = Duration.ofSeconds(2);

  private final ProxyConfig config;
  private final PrometheusMeterRegistry registry;
  private final OkHttpClient http;
  private final StatusPoller poller;
  private final ApiServer server;
  private final TenantsSource tenants;
  private final Optional<TlsIdentity> tls;
  private boolean closed;

  private ProxyServer(ProxyConfig config, Clock clock) {
    this.config = config;
    this.tenants = TenantsSource.open(config.tenantsFile());
    ShardMap map = config.shardMap();
    // First: unreadable TLS files are a config error, before anything starts.
    this.tls = config.tls().map(TlsIdentity::load);
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProxyMetrics metrics = new ProxyMetrics(registry);
    Upstreams upstreams = new Upstreams(map, config.breaker(), metrics);
    registerGauges(upstreams);
    tls.ifPresent(
        t ->
            FunctionCounter.builder("shardhook.tls.reloads.failed", t, TlsIdentity::failedReloads)
                .description("Changes to the TLS files that could not be loaded (old ones kept)")
                .register(registry));

    OkHttpClient.Builder toNodes = new OkHttpClient.Builder();
    // The nodes ask for a client certificate from the CA and show one from it.
    tls.ifPresent(t -> toNodes.sslSocketFactory(t.sslSocketFactory(), t.trustManager()));
    this.http =
        toNodes
            .connectionPool(
                new ConnectionPool(
                    IDLE_CONNECTIONS_PER_NODE * upstreams.nodes().size(), 5, TimeUnit.MINUTES))
            .connectTimeout(config.connectTimeout())
            // One deadline per forward (set on each call) bounds reads and writes.
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            .callTimeout(config.forwardTimeout())
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
    Duration pollTimeout = clamp(config.statusInterval(), MIN_POLL_TIMEOUT, MAX_POLL_TIMEOUT);
    OkHttpClient pollHttp =
        http.newBuilder().callTimeout(pollTimeout).retryOnConnectionFailure(false).build();

    EpochRings rings = new EpochRings(map);
    Forwarder forwarder = new Forwarder(upstreams, http, config.forwardTimeout(), metrics);
    RoutingIds ids = new RoutingIds(rings, clock);
    JobHomes homes = new JobHomes(rings, forwarder);
    int maxBytes = config.maxRequestBytes();
    Routes routes =
        ProxyRoutes.of(
            ids, homes, rings, upstreams, forwarder, map, registry, metrics, maxBytes, tenants,
            clock);

    this.poller = new StatusPoller(upstreams, pollHttp, config.statusInterval(), metrics, clock);
    poller.start();
    try {
      this.server =
          ApiServer.start(
              "proxy",
              config.httpHost(),
              config.httpPort(),
              routes,
              // Requests in flight may wait for a node up to the forward timeout.
              config.forwardTimeout().plusSeconds(1),
              // Clients of the proxy are not asked for a certificate; they show an API key.
              tls.map(t -> t.serverFactory(false)));
    } catch (RuntimeException e) {
      poller.close();
      http.connectionPool().evictAll();
      registry.close();
      tenants.close();
      tls.ifPresent(TlsIdentity::close);
      throw e;
    }
    LOG.info(
        "proxy serving {} shards ({} epochs) on {}:{}",
        map.shards().size(),
        map.epochs().size(),
        config.httpHost(),
        server.port());
  }

  /**
   * Starts polling the map's nodes and serving HTTP.
   *
   * @throws java.io.UncheckedIOException when the HTTP address cannot be bound
   */
  public static ProxyServer start(ProxyConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** As {@link #start(ProxyConfig)}, with the clock that stamps generated ids (tests). */
  static ProxyServer start(ProxyConfig config, Clock clock) {
    return new ProxyServer(config, clock);
  }

  public ProxyConfig config() {
    return config;
  }

  /** The bound HTTP port (the configured one, or the one picked for port 0). */
  public int port() {
    return server.port();
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }

  private void registerGauges(Upstreams upstreams) {
    for (UpstreamShard shard : upstreams.shards()) {
      Gauge.builder("shardhook.proxy.shard.reachable", shard, s -> s.reachable() ? 1 : 0)
          .description("1 while some node of the shard is known to be up")
          .tag("shard", shard.id())
          .register(registry);
      for (UpstreamNode node : shard.nodes()) {
        Gauge.builder(
                "shardhook.proxy.node.up",
                node,
                n -> n.view().health() == UpstreamNode.Health.UP ? 1 : 0)
            .description("1 while the node's last status poll or forward succeeded")
            .tag("shard", shard.id())
            .tag("node", node.url().toString())
            .register(registry);
      }
    }
  }

  /**
   * Graceful stop (SIGTERM): refuse new connections, let requests in flight finish (up to the
   * forward timeout), then stop polling and drop idle connections.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("proxy shutting down");
    server.stopAccepting();
    server.close();
    poller.close();
    http.connectionPool().evictAll();
    registry.close();
    tenants.close();
    tls.ifPresent(TlsIdentity::close);
    LOG.info("proxy stopped");
  }
}
