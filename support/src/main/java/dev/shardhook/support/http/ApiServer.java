package dev.shardhook.support.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty server for one {@link Routes} table. Endpoints run on virtual threads, so they may block;
 * Jetty's platform threads only select and accept. Jetty's own errors are problems too.
 *
 * <p>Shutdown in two steps: {@link #stopAccepting()} closes the listening socket while requests in
 * flight finish, then {@link #close()} waits up to the stop timeout for them and stops.
 */
public final class ApiServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final ExecutorService virtualThreads;
  private final int port;

  private ApiServer(
      Server server, ServerConnector connector, ExecutorService virtualThreads, int port) {
    this.server = server;
    this.connector = connector;
    this.virtualThreads = virtualThreads;
    this.port = port;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving.
   *
   * @param name names the server's threads ({@code name-http}) and its log lines
   * @param stopTimeout how long {@link #close()} waits for requests in flight
   * @throws UncheckedIOException when the address cannot be bound
   * @throws IllegalStateException when Jetty fails to start for another reason
   */
  public static ApiServer start(
      String name, String host, int port, Routes routes, Duration stopTimeout) {
    return start(name, host, port, routes, stopTimeout, Optional.empty());
  }

  /**
   * As {@link #start(String, String, int, Routes, Duration)}, serving HTTPS when {@code tls} is
   * given (see {@link dev.shardhook.support.tls.TlsIdentity#serverFactory}).
   */
  public static ApiServer start(
      String name,
      String host,
      int port,
      Routes routes,
      Duration stopTimeout,
      Optional<SslContextFactory.Server> tls) {
    ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName(name + "-http");
    threads.setVirtualThreadsExecutor(virtualThreads);

    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = connector(server, http, tls);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setErrorHandler(new ProblemErrorHandler(routes.internalDetail()));
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
    ApiServer started = new ApiServer(server, connector, virtualThreads, connector.getLocalPort());
    LOG.info(
        "{} {} API listening on {}:{}",
        name,
        tls.isPresent() ? "HTTPS" : "HTTP",
        host,
        started.port);
    return started;
  }

  private static ServerConnector connector(
      Server server, HttpConfiguration http, Optional<SslContextFactory.Server> tls) {
    if (tls.isEmpty()) {
      return new ServerConnector(server, new HttpConnectionFactory(http));
    }
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Host names are the client's to verify against the certificate; clients reach nodes and
    // proxies by addresses and names the certificate may not list (load balancers).
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    return new ServerConnector(
        server, new SslConnectionFactory(tls.get(), "http/1.1"), new HttpConnectionFactory(http));
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
