package dev.shardhook.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A real webhook receiver on loopback ({@code MockWebServer}): answers per path from a script (then
 * 200), after an optional latency, and records every delivery's {@code webhook-id}. For a receiver
 * that accepts connections and never answers, see {@link HangingReceiver}.
 */
public final class RecordingReceiver extends Dispatcher implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final Map<String, Queue<MockResponse>> scripts = new ConcurrentHashMap<>();
  private final Map<String, List<RecordedRequest>> byWebhookId = new ConcurrentHashMap<>();
  private final Queue<RecordedRequest> all = new ConcurrentLinkedQueue<>();
  private volatile long latencyMs;

  private RecordingReceiver() {}

  /** A receiver listening on a free loopback port. */
  public static RecordingReceiver start() {
    RecordingReceiver receiver = new RecordingReceiver();
    receiver.server.setDispatcher(receiver);
    try {
      receiver.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return receiver;
  }

  /** The absolute URL of {@code path} on this receiver. */
  public String url(String path) {
    return server.url(path).toString();
  }

  /** Answers the next requests to {@code path} with these, in order; 200 afterwards. */
  public void script(String path, MockResponse... responses) {
    scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(responses));
  }

  public void latency(long ms) {
    latencyMs = ms;
  }

  public static MockResponse status(int code, String... headerPairs) {
    MockResponse.Builder b = new MockResponse.Builder().code(code);
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      b.addHeader(headerPairs[i], headerPairs[i + 1]);
    }
    return b.build();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    all.add(request);
    String id = request.getHeaders().get("webhook-id");
    if (id != null) {
      byWebhookId.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(request);
    }
    if (latencyMs > 0) {
      TimeUnit.MILLISECONDS.sleep(latencyMs);
    }
    Queue<MockResponse> script = scripts.get(request.getUrl().encodedPath());
    MockResponse next = script == null ? null : script.poll();
    return next != null ? next : status(200);
  }

  /** Deliveries that carried this {@code webhook-id}. */
  public List<RecordedRequest> deliveries(String webhookId) {
    return List.copyOf(byWebhookId.getOrDefault(webhookId, List.of()));
  }

  /** Distinct {@code webhook-id}s delivered so far. */
  public int distinctIds() {
    return byWebhookId.size();
  }

  public int total() {
    return all.size();
  }

  @Override
  public void close() {
    server.close();
  }
}
