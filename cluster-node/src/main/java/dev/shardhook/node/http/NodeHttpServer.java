package dev.shardhook.node.http;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeState;
import dev.shardhook.node.delivery.TargetGuard;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.support.http.ProblemErrorHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (DESIGN.md §6) on Jetty. Handlers run on virtual threads, so they may block
 * on the shard; Jetty's platform threads only select and accept.
 *
 * <p>Shutdown in two steps: {@link #stopAccepting()} closes the listening socket while requests in
 * flight finish, then {@link #close()} waits up to {@link #STOP_TIMEOUT} for them and stops.
 */
public final class NodeHttpServer implements Closeable {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(NodeHttpServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final ExecutorService virtualThreads;
  private final int port;

  private NodeHttpServer(
      Server server, ServerConnector connector, ExecutorService virtualThreads, int port) {
    this.server = server;
    this.connector = connector;
    this.virtualThreads = virtualThreads;
    this.port = port;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving.
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
      NodeConfig config,
      Clock clock) {
    return start(
        host, port, jobs, state, registry, config, clock, ShardOwnership.sole(config.shardId()));
  }

  /**
   * As above, refusing job ids {@code ownership} says are another shard's (421), and drawing
   * generated ids on this shard.
   */
  public static NodeHttpServer start(
      String host,
      int port,
      JobService jobs,
      NodeState state,
      PrometheusMeterRegistry registry,
      NodeConfig config,
      Clock clock,
      ShardOwnership ownership) {
    ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("node-http");
    threads.setVirtualThreadsExecutor(virtualThreads);

    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setErrorHandler(new ProblemErrorHandler(Problems.INTERNAL_DETAIL));
    server.setHandler(new GracefulHandler(routes(jobs, state, registry, config, clock, ownership)));
    server.setStopTimeout(STOP_TIMEOUT.toMillis());

    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      virtualThreads.shutdownNow();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot listen on " + host + ":" + port, io);
      }
      throw new IllegalStateException("the HTTP server failed to start", e);
    }
    NodeHttpServer started =
        new NodeHttpServer(server, connector, virtualThreads, connector.getLocalPort());
    LOG.info("HTTP API listening on {}:{}", host, started.port);
    return started;
  }

  private static NodeRoutes routes(
      JobService jobs,
      NodeState state,
      PrometheusMeterRegistry registry,
      NodeConfig config,
      Clock clock,
      ShardOwnership ownership) {
    JobRequestValidator validator =
        new JobRequestValidator(
            config, new TargetGuard(config.allowPrivateTargets()), clock, ownership);
    Rejections rejections = new Rejections(config.maxPending());
    JobMetrics metrics = new JobMetrics(registry);
    return new NodeRoutes(
        new SubmitJob(jobs, validator, rejections, metrics, config.maxRequestBytes()),
        new SubmitBatch(jobs, validator, rejections, metrics, config.maxRequestBytes()),
        new JobLookup(jobs, ownership),
        new NodeEndpoints(state, registry));
  }

  /** The bound port, also after {@link #stopAccepting()}. */
  public int port() {
    return port;
  }

  /**
   * Closes the listening socket: new connections are refused while requests in flight, and further
   * requests on connections already open, are still served until {@link #close()}.
   */
  public void stopAccepting() {
    connector.close();
  }

  /** Stops the server, giving requests in flight up to {@link #STOP_TIMEOUT} to finish. */
  @Override
  public void close() {
    stopQuietly(server);
    virtualThreads.shutdownNow();
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly", e);
    }
  }
}
