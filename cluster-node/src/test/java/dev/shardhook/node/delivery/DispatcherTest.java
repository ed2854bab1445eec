package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.DisabledDestination;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.testing.HangingReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Receiver receiver = new Receiver();
  private final Shard shard = new Shard();
  private final CountDownLatch gate = new CountDownLatch(1);
  private WebhookDelivery delivery;
  private Dispatcher dispatcher;

  @AfterEach
  void tearDown() throws InterruptedException {
    gate.countDown();
    if (dispatcher != null) {
      dispatcher.stop();
      dispatcher.awaitIdle(Duration.ofSeconds(5));
    }
    if (delivery != null) {
      delivery.close();
    }
  }

  private Dispatcher dispatcher(int workers) {
    return dispatcher(workers, NodeConfig.DEFAULT_PER_HOST_CONCURRENCY);
  }

  private Dispatcher dispatcher(DestinationPolicy policy) {
    NodeConfig config =
        NodeConfig.builder()
            .insecureNoAuth(true)
            .nodeId("a")
            .peers("a=127.0.0.1:9200")
            .allowPrivateTargets(true)
            .build();
    delivery = new WebhookDelivery(config.delivery());
    dispatcher =
        new Dispatcher(
            config.dispatch(), shard, shard, delivery, Clock.systemUTC(), registry, policy);
    shard.dispatcher = dispatcher;
    server.setDispatcher(receiver);
    return dispatcher;
  }

  private Dispatcher dispatcher(int workers, int perHost) {
    NodeConfig config =
        NodeConfig.builder()
            .insecureNoAuth(true)
            .nodeId("a")
            .peers("a=127.0.0.1:9200")
            .workers(workers)
            .perHostConcurrency(perHost)
            .allowPrivateTargets(true)
            .build();
    delivery = new WebhookDelivery(config.delivery());
    dispatcher =
        new Dispatcher(config.dispatch(), shard, shard, delivery, Clock.systemUTC(), registry);
    shard.dispatcher = dispatcher;
    server.setDispatcher(receiver);
    return dispatcher;
  }

  private List<String> addJobs(int count, Instant dueAt) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "job-" + shard.jobs.size();
      shard.add(
          new JobRecord(
              id,
              "shard-0",
              JobState.PENDING,
              server.url("/hook").toString(),
              "POST",
              Map.of(),
              "{\"n\":" + i + "}",
              null,
              Duration.ofMillis(5_000),
              RetrySettings.DEFAULTS,
              dueAt,
              dueAt,
              null,
              List.of()));
      ids.add(id);
    }
    return ids;
  }

  @Test
  void deliversEveryDueJobOnce() {
    Dispatcher d = dispatcher(4);
    List<String> ids = addJobs(50, Instant.EPOCH);

    d.start(1, () -> true);

    await().atMost(Duration.ofSeconds(20)).until(() -> shard.outcomes.size() == 50);
    assertThat(receiver.deliveries.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(receiver.deliveries.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(shard.outcomes).allSatisfy(o -> assertThat(o.statusCode()).isEqualTo(200));
    assertThat(shard.outcomes).allSatisfy(o -> assertThat(o.attemptNumber()).isEqualTo(1));
    await().until(() -> d.running() == 0);
    assertThat(ids).noneMatch(d::isInFlight);
    assertThat(registry.get("shardhook.attempts").tag("outcome", "success").counter().count())
        .isEqualTo(50);
    assertThat(registry.get("shardhook.delivery.latency").timer().count()).isEqualTo(50);
    assertThat(server.getRequestCount()).isEqualTo(50);
  }

  @Test
  void aScanThatSeesAFinishedJobAsDueDoesNotDeliverItAgain() {
    Dispatcher d = dispatcher(4);
    List<String> ids = addJobs(5, Instant.EPOCH);
    d.start(1, () -> true);
    await().atMost(Duration.ofSeconds(20)).until(() -> shard.outcomes.size() == 5);

    shard.staleReads = true;
    int scans = shard.scans.get();
    d.wake();
    await().atMost(Duration.ofSeconds(20)).until(() -> shard.scans.get() >= scans + 5);

    assertThat(receiver.deliveries.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(shard.outcomes).hasSize(5);
    assertThat(ids).noneMatch(d::isInFlight);
    assertThat(
            registry
                .get("shardhook.dispatcher.skipped")
                .tag("reason", "stale_read")
                .counter()
                .count())
        .isPositive();
  }

  @Test
  void neverRunsMoreThanWorkersAtOnce() {
    Dispatcher d = dispatcher(3);
    receiver.holdUntil(gate);
    addJobs(12, Instant.EPOCH);

    d.start(1, () -> true);

    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.current.get() == 3);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> receiver.current.get() == 3 && d.running() == 3);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(registry.get("shardhook.running").gauge().value()).isEqualTo(3);

    gate.countDown();

    await().atMost(Duration.ofSeconds(20)).until(() -> shard.outcomes.size() == 12);
    assertThat(receiver.max.get()).isEqualTo(3);
    assertThat(receiver.deliveries).hasSize(12);
  }

  @Test
  void stopsStartingAttemptsOnceNoLongerLeader() throws InterruptedException {
    Dispatcher d = dispatcher(2);
    receiver.holdUntil(gate);
    addJobs(10, Instant.EPOCH);
    AtomicBoolean leader = new AtomicBoolean(true);

    d.start(7, leader::get);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.current.get() == 2);
    leader.set(false);
    gate.countDown();

    // the attempts under way finish and still report
    await().atMost(Duration.ofSeconds(10)).until(() -> shard.outcomes.size() == 2);
    assertThat(d.awaitIdle(Duration.ofSeconds(5))).isTrue();
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.getRequestCount() == 2 && shard.outcomes.size() == 2);
  }

  @Test
  void stopIsImmediateAndANewTermStartsAgain() throws InterruptedException {
    Dispatcher d = dispatcher(2);
    d.start(1, () -> true);
    d.start(1, () -> true); // same term: no second loop
    d.stop();
    addJobs(3, Instant.EPOCH);
    d.wake();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.getRequestCount() == 0);
    assertThat(d.awaitIdle(Duration.ofMillis(10))).isTrue();

    d.start(2, () -> true);

    await().atMost(Duration.ofSeconds(10)).until(() -> shard.outcomes.size() == 3);
  }

  @Test
  void picksUpJobsAddedLaterAndJobsThatBecomeDue() {
    Dispatcher d = dispatcher(2);
    d.start(1, () -> true);
    await().until(() -> shard.scans.get() > 0);

    addJobs(1, Instant.EPOCH);
    d.wake();
    await().atMost(Duration.ofSeconds(5)).until(() -> shard.outcomes.size() == 1);

    // due a little later, and nobody calls wake(): the loop waits for the earliest due time
    addJobs(1, Instant.now().plusMillis(300));
    await().atMost(Duration.ofSeconds(5)).until(() -> shard.outcomes.size() == 2);
    assertThat(shard.outcomes.get(1).startedAt())
        .isAfterOrEqualTo(shard.jobs.get("job-1").nextAttemptAt());
  }

  @Test
  void jobStaysInFlightUntilItsOutcomeIsSettled() {
    Dispatcher d = dispatcher(2);
    shard.settle = false;
    List<String> ids = addJobs(1, Instant.EPOCH);
    d.start(1, () -> true);

    await().atMost(Duration.ofSeconds(5)).until(() -> shard.outcomes.size() == 1);
    assertThat(d.isInFlight(ids.get(0))).isTrue();
    // still due in the index, but never attempted again while in flight
    shard.reschedule(ids.get(0), Instant.EPOCH);
    d.wake();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.getRequestCount() == 1);

    d.outcomeSettled(new AttemptKey(ids.get(0), 1));

    assertThat(d.isInFlight(ids.get(0))).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.getRequestCount() == 2);
  }

  @Test
  void anOutcomeOfAnotherAttemptNeverFreesTheRunningOne() {
    Dispatcher d = dispatcher(4);
    receiver.holdUntil(gate);
    String id = addJobs(1, Instant.EPOCH).get(0);
    d.start(1, () -> true);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.current.get() == 1);

    // A deposed leader's attempt 1 of the same job is applied meanwhile: attempt 2 is due now.
    shard.applyForeignAttempt(id);
    d.outcomeSettled(new AttemptKey(id, 1));
    d.wake();

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> server.getRequestCount() == 1 && d.isInFlight(id));
    gate.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> !d.isInFlight(id));
    assertThat(receiver.max.get()).isEqualTo(1);
  }

  @Test
  void startsNoAttemptWithoutALease() {
    Dispatcher d = dispatcher(4);
    AtomicBoolean lease = new AtomicBoolean(false);
    addJobs(3, Instant.EPOCH);

    d.start(1, () -> true, lease::get);

    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.getRequestCount() == 0);
    assertThat(
            registry
                .get("shardhook.dispatcher.skipped")
                .tag("reason", "no_lease")
                .counter()
                .count())
        .isPositive();
    lease.set(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> shard.outcomes.size() == 3);
  }

  @Test
  void drainWaitsForAttemptsUnderWayAndNothingStartsAfterIt() throws Exception {
    Dispatcher d = dispatcher(2);
    receiver.holdUntil(gate);
    addJobs(4, Instant.EPOCH);
    d.start(1, () -> true);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.current.get() == 2);

    assertThat(d.drain(Duration.ofMillis(200))).isFalse();
    gate.countDown();
    assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    assertThat(shard.outcomes).hasSize(2);

    d.start(2, () -> true);
    d.wake();
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.getRequestCount() == 2);
  }

  @Test
  void aDestinationThatNeverAnswersDoesNotHoldUpAnother() throws Exception {
    try (HangingReceiver hanging = new HangingReceiver()) {
      Dispatcher d = dispatcher(8, 4);
      for (int i = 0; i < 500; i++) {
        shard.add(job("dead-" + i, hanging.url(), Instant.EPOCH));
      }
      d.start(1, () -> true);
      await().atMost(Duration.ofSeconds(10)).until(() -> hanging.accepted() == 4);

      // due later than every dead job, so it sits behind all of them in the index
      shard.add(job("healthy", server.url("/hook").toString(), Instant.ofEpochMilli(1)));
      d.wake();

      await().atMost(Duration.ofSeconds(5)).until(() -> receiver.deliveries.containsKey("healthy"));
      assertThat(hanging.accepted()).isEqualTo(4);
    }
  }

  @Test
  void aDisabledDestinationsJobsWaitOrFailWithoutReachingTheReceiver() {
    String host = server.url("/").host() + ":" + server.getPort();
    DisabledDestinations disabled =
        new DisabledDestinations() {
          @Override
          public Map<String, DisabledDestination> current() {
            return Map.of(host, new DisabledDestination(host, 1, "failing since then"));
          }

          @Override
          public void disable(String h, String reason) {}
        };
    Dispatcher d =
        dispatcher(
            new DestinationPolicy(
                Duration.ofHours(1),
                disabled,
                (tenant, queue) ->
                    queue.equals("doomed")
                        ? QueueConfig.OnDestinationDisabled.FAIL
                        : QueueConfig.OnDestinationDisabled.WAIT));
    List<String> waiting = addJobs(3, Instant.EPOCH);
    JobRecord p =
        JobSamples.pending(
            "doomed-1", server.url("/hook").toString(), Duration.ofSeconds(5), Instant.EPOCH);
    shard.add(
        new JobRecord(
            p.id(),
            p.shardId(),
            p.state(),
            p.url(),
            p.method(),
            p.headers(),
            p.body(),
            p.idempotencyKey(),
            p.timeout(),
            p.retry(),
            p.createdAt(),
            p.nextAttemptAt(),
            p.finishedAt(),
            p.attempts(),
            0,
            null,
            "doomed",
            null));

    d.start(1, () -> true);

    await().atMost(Duration.ofSeconds(10)).until(() -> shard.outcomes.size() == 1);
    AttemptOutcome failed = shard.outcomes.getFirst();
    assertThat(failed.jobId()).isEqualTo("doomed-1");
    assertThat(failed.permanent()).isTrue();
    assertThat(failed.error()).contains("disabled", "failing since then");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> shard.outcomes.size() == 1);
    assertThat(server.getRequestCount()).isZero();
    assertThat(waiting).noneMatch(d::isInFlight);
    assertThat(d.destinations("default", true))
        .singleElement()
        .satisfies(x -> assertThat(x.state()).isEqualTo("disabled"));
  }

  private JobRecord job(String id, String url, Instant dueAt) {
    return JobSamples.pending(id, url, Duration.ofMillis(30_000), dueAt);
  }

  /** The due index and the outcome log, in memory: applying an outcome finishes the job. */
  static final class Shard implements DueJobs, OutcomeSink {
    static final Comparator<Position> ORDER =
        Comparator.comparingLong(Position::atMs).thenComparing(Position::id);

    final Map<String, JobRecord> jobs = new HashMap<>();
    final Map<String, Instant> pending = new HashMap<>();
    final List<AttemptOutcome> outcomes = new CopyOnWriteArrayList<>();
    final AtomicInteger scans = new AtomicInteger();
    volatile Dispatcher dispatcher;
    volatile boolean settle = true;
    volatile boolean staleReads;

    synchronized void add(JobRecord job) {
      jobs.put(job.id(), job);
      pending.put(job.id(), job.nextAttemptAt());
    }

    /** Records attempt 1 as another node's and makes attempt 2 due now. */
    synchronized void applyForeignAttempt(String id) {
      JobRecord j = jobs.get(id);
      jobs.put(
          id,
          j.moved(
              j.state(),
              Instant.EPOCH,
              null,
              List.of(new AttemptRecord(1, Instant.EPOCH, Duration.ofMillis(1), 500, null))));
      pending.put(id, Instant.EPOCH);
    }

    synchronized void reschedule(String id, Instant at) {
      pending.put(id, at);
    }

    @Override
    public synchronized Window due(
        Instant now, Position after, int limit, int maxScanned, Predicate<String> skip) {
      scans.incrementAndGet();
      if (staleReads) {
        // A view from before every outcome: finished jobs still look due.
        List<JobRecord> all =
            jobs.values().stream().filter(j -> !skip.test(j.id())).limit(limit).toList();
        return new Window(all, null, true);
      }
      List<Position> index =
          pending.entrySet().stream()
              .filter(e -> !e.getValue().isAfter(now))
              .map(e -> new Position(e.getValue().toEpochMilli(), e.getKey()))
              .sorted(Comparator.comparingLong(Position::atMs).thenComparing(Position::id))
              .filter(p -> after == null || ORDER.compare(p, after) > 0)
              .toList();
      List<JobRecord> out = new ArrayList<>();
      Position last = after;
      int scanned = 0;
      for (Position p : index) {
        if (out.size() >= limit || scanned >= maxScanned) {
          return new Window(out, last, false);
        }
        scanned++;
        last = p;
        if (!skip.test(p.id())) {
          out.add(jobs.get(p.id()));
        }
      }
      return new Window(out, last, true);
    }

    @Override
    public synchronized boolean unchanged(JobRecord seen) {
      return pending.containsKey(seen.id());
    }

    @Override
    public synchronized Optional<Instant> earliestDue() {
      return pending.values().stream().min(Comparator.naturalOrder());
    }

    @Override
    public void record(AttemptOutcome outcome) {
      synchronized (this) {
        outcomes.add(outcome);
        pending.remove(outcome.jobId());
      }
      if (settle) {
        dispatcher.outcomeSettled(new AttemptKey(outcome.jobId(), outcome.attemptNumber()));
      }
    }
  }

  /** Counts deliveries per webhook-id and how many are in progress at once. */
  static final class Receiver extends mockwebserver3.Dispatcher {
    final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    final AtomicInteger current = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    void holdUntil(CountDownLatch gate) {
      hold = gate;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      int now = current.incrementAndGet();
      max.accumulateAndGet(now, Math::max);
      try {
        deliveries
            .computeIfAbsent(request.getHeaders().get("webhook-id"), k -> new AtomicInteger())
            .incrementAndGet();
        hold.await(30, TimeUnit.SECONDS);
        return new MockResponse.Builder().code(200).build();
      } finally {
        current.decrementAndGet();
      }
    }
  }
}
