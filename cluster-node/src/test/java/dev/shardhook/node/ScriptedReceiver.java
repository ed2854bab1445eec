package dev.shardhook.node;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A webhook receiver for {@code MockWebServer}: answers per path from a script (then 200), after an
 * optional latency, and records every delivery's {@code webhook-id}.
 */
final class ScriptedReceiver extends Dispatcher {
  private final Map<String, Queue<MockResponse>> scripts = new ConcurrentHashMap<>();
  private final Map<String, List<RecordedRequest>> byWebhookId = new ConcurrentHashMap<>();
  private final Queue<RecordedRequest> all = new ConcurrentLinkedQueue<>();
  private volatile long latencyMs;

  /** Answers the next requests to {@code path} with these, in order; 200 afterwards. */
  void script(String path, MockResponse... responses) {
    scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(responses));
  }

  void latency(long ms) {
    latencyMs = ms;
  }

  static MockResponse status(int code, String... headerPairs) {
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
  List<RecordedRequest> deliveries(String webhookId) {
    return List.copyOf(byWebhookId.getOrDefault(webhookId, List.of()));
  }

  /** Distinct {@code webhook-id}s delivered so far. */
  int distinctIds() {
    return byWebhookId.size();
  }

  int total() {
    return all.size();
  }
}
