package dev.shardhook.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.proxy.ProxyMetrics;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every node's {@code GET /status} about once per interval, each node on its own virtual
 * thread so a slow node delays nobody else. Learns the node's health and role (which makes the
 * shard's leader known) and checks that the node really serves the shard the map puts it in: a node
 * of another shard would accept jobs that then live where no lookup looks for them.
 *
 * <p>Intervals are jittered by ±20% so that many proxies do not poll in step. A poll that fails in
 * any way marks the node down and is counted; the loop always goes on until {@link #close()}.
 */
public final class StatusPoller implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPoller.class);
  private static final long MAX_STATUS_BYTES = 64 << 10;
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);

  private final Upstreams upstreams;
  private final OkHttpClient http;
  private final Duration interval;
  private final ProxyMetrics metrics;
  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param http a client whose call timeout bounds one poll
   */
  public StatusPoller(
      Upstreams upstreams,
      OkHttpClient http,
      Duration interval,
      ProxyMetrics metrics,
      Clock clock) {
    this.upstreams = upstreams;
    this.http = http;
    this.interval = interval;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Starts one loop per node; each polls at once, then about every interval. */
  public synchronized void start() {
    for (UpstreamNode node : upstreams.nodes()) {
      threads.add(
          Thread.ofVirtual().name("status-poll " + node.url()).start(() -> pollForever(node)));
    }
  }

  private void pollForever(UpstreamNode node) {
    do {
      try {
        pollOnce(node);
      } catch (Throwable t) {
        if (stopping()) {
          return;
        }
        // A bug here must not stop health checks for good: count it, log it, go on.
        metrics.pollFailed(node.shardId(), node.url().toString());
        LOG.error("status poll of {} failed unexpectedly", node, t);
      }
    } while (!pause());
  }

  /** Waits about one interval; true when it is time to stop. */
  private boolean pause() {
    long base = interval.toMillis();
    long jittered = base + ThreadLocalRandom.current().nextLong(-base / 5, base / 5 + 1);
    try {
      return stopped.await(Math.max(1, jittered), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      return true;
    }
  }

  /** One {@code GET /status} of {@code node}, recorded on it. */
  void pollOnce(UpstreamNode node) {
    Request request = new Request.Builder().url(node.resolve("/status")).get().build();
    try (Response response = http.newCall(request).execute()) {
      if (response.code() != 200) {
        failed(node, "GET /status answered " + response.code());
        return;
      }
      BufferedSource source = response.body().source();
      if (source.request(MAX_STATUS_BYTES + 1)) {
        failed(node, "GET /status answered more than " + MAX_STATUS_BYTES + " bytes");
        return;
      }
      JsonNode status = WireJson.mapper().readTree(source.readByteArray());
      String shardId = status.path("shardId").asText(null);
      if (!node.shardId().equals(shardId)) {
        failed(
            node,
            "the node serves shard '"
                + Printable.of(shardId)
                + "', but the shard map lists it under '"
                + node.shardId()
                + "'");
        return;
      }
      if (status.path("stalled").asBoolean(false)) {
        // A follower that stopped applying would answer reads from stale state, or hang them.
        failed(
            node,
            "the node reports itself stalled: "
                + status.path("lag").asLong(0)
                + " committed entries not applied");
        return;
      }
      node.polled(
          status.path("nodeId").asText(null),
          status.path("role").asText(UpstreamNode.UNKNOWN_ROLE),
          status.path("leaderId").asText(null),
          status.path("term").asLong(0),
          clock.instant());
    } catch (IOException e) {
      failed(node, "GET /status failed: " + (e.getMessage() == null ? e : e.getMessage()));
    }
  }

  private boolean stopping() {
    return stopped.getCount() == 0;
  }

  private void failed(UpstreamNode node, String reason) {
    if (stopping()) {
      return; // interrupted by close(): says nothing about the node
    }
    metrics.pollFailed(node.shardId(), node.url().toString());
    node.pollFailed(reason, clock.instant());
  }

  /** Stops every loop and waits briefly for them; a poll in flight is abandoned. */
  @Override
  public synchronized void close() {
    stopped.countDown();
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(JOIN_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
