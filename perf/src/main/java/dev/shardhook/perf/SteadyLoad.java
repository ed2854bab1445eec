package dev.shardhook.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady load for {@code failover}: a fixed rate of jobs due at once, each with its own id, posted
 * by a few clients through the entry. A job whose request fails (network error, 429, 503, 5xx) is
 * posted again with the same id — a replay, not a second job — until it is acknowledged or {@code
 * giveUp} has passed. Every acknowledgement is recorded with the job's shard (from the answer) and
 * the time its request was sent and answered.
 */
final class SteadyLoad implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long RETRY_PAUSE_MS = 100;

  private final List<NodeHttp> entries;
  private final long intervalNanos;
  private final int clients;
  private final List<URI> sinkUrls;
  private final String body;
  private final String idPrefix;
  private final Duration giveUp;
  private final Console console;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong nextSlot = new AtomicLong();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicInteger preferredEntry = new AtomicInteger();
  private final Queue<ResumeTimes.Accepted> accepted = new ConcurrentLinkedQueue<>();
  private final Map<String, String> shardOf = new ConcurrentHashMap<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final LongAdder failed = new LongAdder();
  private final LongAdder resent = new LongAdder();
  private final AtomicInteger logged = new AtomicInteger();
  private volatile boolean running;

  /**
   * @param entries where to post, in order of preference (the next one after a network error)
   * @param apiKey sent with every post; null for none
   * @param perSecond jobs per second in total
   */
  SteadyLoad(
      List<URI> entries,
      String apiKey,
      double perSecond,
      int clients,
      List<URI> sinkUrls,
      String body,
      String idPrefix,
      Duration giveUp,
      Console console) {
    if (perSecond <= 0 || clients < 1 || entries.isEmpty()) {
      throw new IllegalArgumentException("rate > 0, clients >= 1, at least one entry");
    }
    this.entries =
        entries.stream().map(e -> new NodeHttp(e, Duration.ofSeconds(10), apiKey)).toList();
    this.intervalNanos = (long) (1e9 / perSecond);
    this.clients = clients;
    this.sinkUrls = sinkUrls;
    this.body = body;
    this.idPrefix = idPrefix;
    this.giveUp = giveUp;
    this.console = console;
  }

  void start() {
    running = true;
    nextSlot.set(System.nanoTime());
    for (int i = 0; i < clients; i++) {
      pool.submit(this::client);
    }
  }

  /** Stops posting new jobs and waits for the ones under way (acknowledged or given up). */
  void stop() {
    running = false;
    pool.close();
  }

  /** Every acknowledgement so far. */
  List<ResumeTimes.Accepted> accepted() {
    return new ArrayList<>(accepted);
  }

  /** Every acknowledgement so far, as a live view (weakly consistent). */
  Collection<ResumeTimes.Accepted> acceptedView() {
    return Collections.unmodifiableCollection(accepted);
  }

  /** Each acknowledged job's shard, as a live view. */
  Map<String, String> shardOfView() {
    return Collections.unmodifiableMap(shardOf);
  }

  /** Acknowledged job ids. */
  Set<String> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  /** Each acknowledged job's shard. */
  Map<String, String> shardOf() {
    return Map.copyOf(shardOf);
  }

  long acknowledgedCount() {
    return acknowledged.size();
  }

  /** Jobs given up (refused for good, or not acknowledged within the give-up time). */
  long failed() {
    return failed.sum();
  }

  /** Requests sent again after a failure. */
  long resent() {
    return resent.sum();
  }

  private Void client() throws InterruptedException {
    while (running) {
      long now = System.nanoTime();
      // The next free slot; slots missed while clients were stuck are skipped, not caught up on.
      long slot = nextSlot.getAndUpdate(prev -> Math.max(prev, now) + intervalNanos);
      slot = Math.max(slot, now);
      long wait = slot - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (!running) {
        break;
      }
      String id = idPrefix + "-" + nextId.getAndIncrement();
      String url = sinkUrls.get(Math.floorMod(id.hashCode(), sinkUrls.size())).toString();
      submit(id, JobBodies.immediateJob(id, url, body));
    }
    return null;
  }

  private void submit(String id, String json) throws InterruptedException {
    long giveUpAt = System.nanoTime() + giveUp.toNanos();
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0) {
        if (System.nanoTime() > giveUpAt) {
          failed.increment();
          log("giving up on job " + id + " after " + giveUp.toSeconds() + "s");
          return;
        }
        resent.increment();
        Thread.sleep(RETRY_PAUSE_MS);
      }
      int entry = preferredEntry.get();
      long sent = System.nanoTime();
      NodeHttp.Reply reply;
      try {
        reply = entries.get(entry % entries.size()).postJson("/jobs", json);
      } catch (IOException e) {
        preferredEntry.compareAndSet(entry, entry + 1); // try the next entry
        continue;
      }
      long answered = System.nanoTime();
      int status = reply.status();
      if (status == 200 || status == 201) {
        String shard = shardIn(reply.body());
        acknowledged.add(id);
        if (shard != null) {
          shardOf.put(id, shard);
        }
        accepted.add(new ResumeTimes.Accepted(id, shard, sent, answered));
        return;
      }
      if (!BatchSubmitter.isRetryable(status)) {
        failed.increment();
        log("job " + id + ": HTTP " + status + ": " + AcceptCommand.abbreviate(reply.body()));
        return;
      }
    }
  }

  private static String shardIn(String jobJson) {
    try {
      JsonNode job = MAPPER.readTree(jobJson);
      return job.path("shardId").isTextual() ? job.path("shardId").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void log(String message) {
    int n = logged.incrementAndGet();
    if (n <= 5) {
      console.say("failover load: %s", message);
    } else if (n == 6) {
      console.say("failover load: (further problems are counted, not shown)");
    }
  }

  @Override
  public void close() {
    running = false;
    pool.shutdownNow();
    entries.forEach(NodeHttp::close);
  }
}
