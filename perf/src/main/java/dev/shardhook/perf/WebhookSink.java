package dev.shardhook.perf;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A webhook receiver for benchmarks: answers every request {@code 200} after a fixed latency (a
 * sleep on a virtual thread: it simulates the receiver's work) and records each {@code webhook-id}
 * it sees, counting repeats as duplicates. An optional listener hears of every request as it
 * arrives (before the latency), with the arrival time.
 *
 * <p>It can listen on several loopback addresses (127.0.0.1, 127.0.0.2, …) so that jobs spread over
 * several "hosts", as deliveries to many receivers would; the node limits concurrency per
 * destination host.
 */
final class WebhookSink implements AutoCloseable {
  private final Server server;
  private final List<URI> urls = new ArrayList<>();
  private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> receipts = new ConcurrentHashMap<>();
  private final Consumer<ResumeTimes.Receipt> onArrival;
  private final LongAdder requests = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder withoutId = new LongAdder();
  private final AtomicLong lastFirstDeliveryNanos = new AtomicLong();

  private WebhookSink(Server server, Consumer<ResumeTimes.Receipt> onArrival) {
    this.server = server;
    this.onArrival = onArrival;
  }

  /**
   * Starts a sink on {@code hosts} (IP addresses), each on {@code port} (0: a free port each).
   *
   * @param latency how long every request takes before its {@code 200}
   */
  static WebhookSink start(List<String> hosts, int port, Duration latency) throws Exception {
    return start(hosts, port, latency, receipt -> {});
  }

  /**
   * Like {@link #start(List, int, Duration)}; {@code onArrival} hears of every request with a
   * {@code webhook-id} when it arrives, on the request's thread.
   */
  static WebhookSink start(
      List<String> hosts, int port, Duration latency, Consumer<ResumeTimes.Receipt> onArrival)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("sink");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    WebhookSink sink = new WebhookSink(server, onArrival);
    for (String host : hosts) {
      ServerConnector connector = new ServerConnector(server);
      connector.setHost(host);
      connector.setPort(port);
      connector.setAcceptQueueSize(4096);
      connector.setIdleTimeout(60_000);
      server.addConnector(connector);
    }
    server.setHandler(new SinkHandler(sink, latency.toNanos()));
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw new IllegalStateException(
          "cannot start the webhook sink on " + hosts + " port " + port + ": " + e, e);
    }
    for (var connector : server.getConnectors()) {
      ServerConnector sc = (ServerConnector) connector;
      sink.urls.add(URI.create("http://" + sc.getHost() + ":" + sc.getLocalPort() + "/hook"));
    }
    return sink;
  }

  /** One URL per host the sink listens on. */
  List<URI> urls() {
    return List.copyOf(urls);
  }

  /** Requests received, duplicates included. */
  long requests() {
    return requests.sum();
  }

  /** Distinct {@code webhook-id}s received. */
  int distinct() {
    return firstSeenNanos.size();
  }

  /** Requests whose {@code webhook-id} had been received before. */
  long duplicates() {
    return duplicates.sum();
  }

  /** Requests without a {@code webhook-id} header. */
  long withoutId() {
    return withoutId.sum();
  }

  boolean received(String webhookId) {
    return firstSeenNanos.containsKey(webhookId);
  }

  /** A snapshot: every {@code webhook-id} answered so far, with how many times. */
  Map<String, Integer> receiptCounts() {
    return Map.copyOf(receipts);
  }

  /** {@link System#nanoTime()} when the latest new id was answered; 0 before the first. */
  long lastFirstDeliveryNanos() {
    return lastFirstDeliveryNanos.get();
  }

  void record(String webhookId, long answeredNanos) {
    requests.increment();
    if (webhookId == null) {
      withoutId.increment();
      return;
    }
    receipts.merge(webhookId, 1, Integer::sum);
    if (firstSeenNanos.putIfAbsent(webhookId, answeredNanos) != null) {
      duplicates.increment();
    } else {
      lastFirstDeliveryNanos.accumulateAndGet(answeredNanos, Math::max);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private static final class SinkHandler extends Handler.Abstract {
    private final WebhookSink sink;
    private final long latencyNanos;

    SinkHandler(WebhookSink sink, long latencyNanos) {
      super(InvocationType.BLOCKING);
      this.sink = sink;
      this.latencyNanos = latencyNanos;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String webhookId = request.getHeaders().get("webhook-id");
      if (webhookId != null) {
        sink.onArrival.accept(new ResumeTimes.Receipt(webhookId, System.nanoTime()));
      }
      Content.Source.consumeAll(request); // blocking: this runs on a virtual thread
      if (latencyNanos > 0) {
        TimeUnit.NANOSECONDS.sleep(latencyNanos);
      }
      sink.record(webhookId, System.nanoTime());
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      callback.succeeded();
      return true;
    }
  }
}
