package dev.shardhook.node.http;

import dev.shardhook.node.NodeState;
import dev.shardhook.node.delivery.TargetGuard;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.support.http.ApiServer;
import dev.shardhook.support.http.JobPaths;
import dev.shardhook.support.http.Routes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The node's HTTP API (README, "HTTP API") on the server kit's Jetty server. Handlers run on
 * virtual threads, so they may block on the shard; Jetty's platform threads only select and accept.
 *
 * <p>Shutdown in two steps: {@link #stopAccepting()} closes the listening socket while requests in
 * flight finish, then {@link #close()} waits up to {@link #STOP_TIMEOUT} for them and stops.
 */
public final class NodeHttpServer implements Closeable {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  static final String INTERNAL_DETAIL = "the node failed to handle the request; see its log";

  private final ApiServer server;

  private NodeHttpServer(ApiServer server) {
    this.server = server;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving, refusing job ids {@code
   * ownership} says are another shard's (421), and drawing generated ids on this shard; HTTPS when
   * {@code tls} is given.
   *
   * @throws UncheckedIOException when the address cannot be bound
   * @throws IllegalStateException when Jetty fails to start for another reason
   */
  public static NodeHttpServer start(
      String host,
      int port,
      JobService jobs,
      NodeState state,
      PrometheusMeterRegistry registry,
      SubmitConfig config,
      Clock clock,
      ShardOwnership ownership,
      Optional<SslContextFactory.Server> tls) {
    JobRequestValidator validator =
        new JobRequestValidator(
            config, new TargetGuard(config.allowPrivateTargets()), clock, ownership);
    Submissions submissions =
        new Submissions(
            jobs, validator, new Rejections(config.maxPending()), new JobMetrics(registry));
    int max = config.maxRequestBytes();
    ReadJob read = new ReadJob(jobs, ownership);
    NodeEndpoints node = new NodeEndpoints(state, registry);
    Routes routes =
        new Routes(INTERNAL_DETAIL)
            .on("POST", "/jobs", new CommitJob(submissions, max))
            .on("POST", "/jobs:batch", new CommitBatch(submissions, max))
            .on("GET", "/health", node::health)
            .on("GET", "/ready", node::ready)
            .on("GET", "/status", node::status)
            .on("GET", "/metrics", node::metrics)
            .onPrefix("GET", JobPaths.PREFIX, JobPaths.TEMPLATE, read::get)
            .onPrefix("DELETE", JobPaths.PREFIX, JobPaths.TEMPLATE, read::cancel);
    return new NodeHttpServer(ApiServer.start("node", host, port, routes, STOP_TIMEOUT, tls));
  }

  /** The bound port, also after {@link #stopAccepting()}. */
  public int port() {
    return server.port();
  }

  /**
   * Closes the listening socket: new connections are refused while requests in flight, and further
   * requests on connections already open, are still served until {@link #close()}.
   */
  public void stopAccepting() {
    server.stopAccepting();
  }

  /** Stops the server, giving requests in flight up to {@link #STOP_TIMEOUT} to finish. */
  @Override
  public void close() {
    server.close();
  }
}
