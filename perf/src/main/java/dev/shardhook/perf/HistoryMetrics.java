package dev.shardhook.perf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the history exporter's metrics from every node's {@code GET /metrics} (Prometheus text; any
 * valid API key): rows exported, summed over the nodes (only a shard's leader writes to a shared
 * database, so the sum survives a leader change), and the largest lag. A node that does not answer
 * keeps the count it last reported.
 */
final class HistoryMetrics implements AutoCloseable {
  static final String EXPORTED = "shardhook_history_exported_jobs_total";
  static final String LAG_SECONDS = "shardhook_history_lag_seconds";
  static final String LAG_ENTRIES = "shardhook_history_lag_entries";

  /** What the nodes reported: rows exported in all, the largest lag of any node. */
  record Reading(long exported, double lagSeconds, long lagEntries, int nodesAnswering) {}

  private final List<URI> nodes;
  private final String apiKey;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<URI, Double> lastExported = new HashMap<>();

  HistoryMetrics(List<URI> nodes, String apiKey) {
    this.nodes = List.copyOf(nodes);
    this.apiKey = apiKey;
  }

  synchronized Reading read() throws InterruptedException {
    double lagSeconds = 0;
    double lagEntries = 0;
    int answering = 0;
    for (URI node : nodes) {
      String text = scrape(node);
      if (text == null) {
        continue;
      }
      double exported = value(text, EXPORTED);
      if (!Double.isNaN(exported)) {
        answering++;
        lastExported.put(node, exported);
      }
      lagSeconds = Math.max(lagSeconds, orZero(value(text, LAG_SECONDS)));
      lagEntries = Math.max(lagEntries, orZero(value(text, LAG_ENTRIES)));
    }
    long exported = Math.round(lastExported.values().stream().mapToDouble(d -> d).sum());
    return new Reading(exported, lagSeconds, Math.round(lagEntries), answering);
  }

  private String scrape(URI node) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(node + "/metrics")).timeout(Duration.ofSeconds(5));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The sum of every sample of metric {@code name} (with any labels) in Prometheus text {@code
   * text}; NaN when it has none.
   */
  static double value(String text, String name) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      if (!rest.startsWith(" ") && !rest.startsWith("{")) {
        continue; // another metric whose name starts the same
      }
      int valueFrom = rest.startsWith("{") ? rest.lastIndexOf('}') + 1 : 0;
      String[] parts = rest.substring(valueFrom).trim().split("\\s+");
      try {
        sum += Double.parseDouble(parts[0]);
        found = true;
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return found ? sum : Double.NaN;
  }

  private static double orZero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  @Override
  public void close() {
    client.close();
  }
}
