package dev.shardhook.proxy;

import dev.shardhook.support.http.ProblemErrorHandler;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's HTTP API on Jetty. Handlers run on virtual threads, so they may block on nodes;
 * Jetty's platform threads only select and accept.
 *
 * <p>Shutdown in two steps: {@link #stopAccepting()} closes the listening socket while requests in
 * flight finish, then {@link #close()} waits up to the stop timeout for them and stops.
 */
final class ProxyHttpServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHttpServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final ExecutorService virtualThreads;
  private final int port;

  private ProxyHttpServer(
      Server server, ServerConnector connector, ExecutorService virtualThreads, int port) {
    this.server = server;
    this.connector = connector;
    this.virtualThreads = virtualThreads;
    this.port = port;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving.
   *
   * @param stopTimeout how long {@link #close()} waits for requests in flight
   * @throws UncheckedIOException when the address cannot be bound
   * @throws IllegalStateException when Jetty fails to start for another reason
   */
  static ProxyHttpServer start(String host, int port, Handler routes, Duration stopTimeout) {
    ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("proxy-http");
    threads.setVirtualThreadsExecutor(virtualThreads);

    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setErrorHandler(new ProblemErrorHandler(Problems.INTERNAL_DETAIL));
    server.setHandler(new GracefulHandler(routes));
    server.setStopTimeout(stopTimeout.toMillis());

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
    ProxyHttpServer started =
        new ProxyHttpServer(server, connector, virtualThreads, connector.getLocalPort());
    LOG.info("proxy HTTP API listening on {}:{}", host, started.port);
    return started;
  }

  /** The bound port, also after {@link #stopAccepting()}. */
  int port() {
    return port;
  }

  /** Closes the listening socket; requests in flight go on until {@link #close()}. */
  void stopAccepting() {
    connector.close();
  }

  /** Stops the server, giving requests in flight up to the stop timeout to finish. */
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
