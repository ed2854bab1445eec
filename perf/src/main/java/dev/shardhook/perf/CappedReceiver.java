package dev.shardhook.perf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A receiver that takes at most {@code capacity} requests at once, each for {@code latency}, and
 * answers {@code 429} at once to any beyond; counts attempts, refusals and deliveries per second
 * since its first request.
 */
final class CappedReceiver implements AutoCloseable {
  static final int MAX_SECONDS = 3600;

  private final HttpServer server;
  private final int capacity;
  private final long latencyMs;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLongArray attempts = new AtomicLongArray(MAX_SECONDS);
  private final AtomicLongArray refused = new AtomicLongArray(MAX_SECONDS);
  private final AtomicLongArray taken = new AtomicLongArray(MAX_SECONDS);
  private final AtomicInteger lastSecond = new AtomicInteger(-1);
  private volatile long startNanos = -1;

  CappedReceiver(int capacity, Duration latency) throws IOException {
    this.capacity = capacity;
    this.latencyMs = latency.toMillis();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      body.readAllBytes();
      long now = System.nanoTime();
      synchronized (this) {
        if (startNanos < 0) {
          startNanos = now;
        }
      }
      int second = (int) Math.min(MAX_SECONDS - 1, (now - startNanos) / 1_000_000_000L);
      lastSecond.accumulateAndGet(second, Math::max);
      attempts.incrementAndGet(second);
      if (inFlight.incrementAndGet() > capacity) {
        inFlight.decrementAndGet();
        refused.incrementAndGet(second);
        exchange.sendResponseHeaders(429, -1);
        return;
      }
      try {
        Thread.sleep(latencyMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        // Before answering: once the sender sees the answer, the slot is free.
        inFlight.decrementAndGet();
      }
      int done = (int) Math.min(MAX_SECONDS - 1, (System.nanoTime() - startNanos) / 1_000_000_000L);
      taken.incrementAndGet(done);
      exchange.sendResponseHeaders(200, -1);
    }
  }

  /** Seconds with any request so far. */
  int seconds() {
    return lastSecond.get() + 1;
  }

  long totalTaken() {
    long t = 0;
    for (int i = 0; i < MAX_SECONDS; i++) {
      t += taken.get(i);
    }
    return t;
  }

  AdaptiveAccounting accounting(long jobs, int warmupSeconds) {
    int n = seconds();
    long[] a = new long[n];
    long[] r = new long[n];
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = attempts.get(i);
      r[i] = refused.get(i);
      t[i] = taken.get(i);
    }
    return new AdaptiveAccounting(a, r, t, jobs, warmupSeconds, capacity * 1000.0 / latencyMs);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
