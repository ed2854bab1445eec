package dev.shardhook.node;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real receiver on loopback that records, per path, when each request arrived and how many were
 * in progress at once; each request takes the path's latency before its 200.
 */
final class PacedReceiver implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Path> paths = new ConcurrentHashMap<>();

  PacedReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          Path p = path(exchange.getRequestURI().getPath());
          int now = p.inProgress.incrementAndGet();
          p.maxInProgress.accumulateAndGet(now, Math::max);
          p.arrivals.add(System.nanoTime());
          try {
            exchange.getRequestBody().readAllBytes();
            if (p.latencyMs > 0) {
              TimeUnit.MILLISECONDS.sleep(p.latencyMs);
            }
            exchange.sendResponseHeaders(200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            p.inProgress.decrementAndGet();
            exchange.close();
          }
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  Path path(String path) {
    return paths.computeIfAbsent(path, k -> new Path());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** What one path saw. */
  static final class Path {
    final List<Long> arrivals = new CopyOnWriteArrayList<>();
    final AtomicInteger inProgress = new AtomicInteger();
    final AtomicInteger maxInProgress = new AtomicInteger();
    volatile long latencyMs;

    int count() {
      return arrivals.size();
    }
  }
}
