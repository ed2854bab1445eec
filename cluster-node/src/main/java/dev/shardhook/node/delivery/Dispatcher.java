package dev.shardhook.node.delivery;

import dev.shardhook.client.Job;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.job.AttemptOutcome;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's execution loop: scans the due index and runs each due job's next attempt on a
 * virtual thread, within a global limit of {@link NodeConfig#workers()} attempts and a per-host
 * bulkhead and circuit breaker.
 *
 * <p>A job stays in flight from the start of its attempt until the owner reports its outcome
 * settled ({@link #outcomeSettled}), so it is never attempted twice at once by this node. Outcomes
 * go to the {@link OutcomeSink}; the state machine decides what they mean.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  static final Duration IDLE_WAIT = Duration.ofMillis(200);
  static final Duration SKIPPED_BACKOFF = Duration.ofMillis(20);
  static final Duration ERROR_BACKOFF = Duration.ofMillis(100);
  // Jobs refused by a host's bulkhead or breaker are left out of the next scans for a while, so a
  // pile of due jobs for one bad host does not fill every scan and starve the others.
  static final Duration BULKHEAD_PARK = Duration.ofMillis(50);
  static final Duration BREAKER_PARK = Duration.ofMillis(500);

  private final DueJobs due;
  private final OutcomeSink sink;
  private final WebhookDelivery delivery;
  private final Clock clock;
  private final Semaphore permits;
  private final BulkheadRegistry bulkheads;
  private final CircuitBreakerRegistry breakers;
  private final Map<String, Flight> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Long> parkedUntilNanos = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition idle = idleLock.newCondition();
  private final Metrics metrics;

  private volatile Loop loop;
  private volatile boolean woken;

  public Dispatcher(
      NodeConfig config,
      DueJobs due,
      OutcomeSink sink,
      WebhookDelivery delivery,
      Clock clock,
      MeterRegistry registry) {
    this.due = due;
    this.sink = sink;
    this.delivery = delivery;
    this.clock = clock;
    this.permits = new Semaphore(config.workers());
    this.bulkheads =
        BulkheadRegistry.of(
            BulkheadConfig.custom()
                .maxConcurrentCalls(config.perHostConcurrency())
                .maxWaitDuration(Duration.ZERO)
                .build());
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(50)
                .minimumNumberOfCalls(20)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(5)
                .build());
    this.metrics = new Metrics(registry, running);
  }

  /**
   * Starts the scan loop for {@code term}; does nothing if it already runs for that term. Called
   * once this node is the ready leader. Never blocks for long.
   *
   * @param stillLeader asked before each attempt; the loop ends when it answers false
   */
  public synchronized void start(long term, BooleanSupplier stillLeader) {
    Loop current = loop;
    if (current != null && current.term == term && current.active) {
      return;
    }
    if (current != null) {
      current.halt();
    }
    // Finished attempts whose outcomes were proposed in an older term may never be settled; the
    // ones still running keep their mark so the new loop does not start them a second time.
    inFlight.values().removeIf(f -> f.done);
    parkedUntilNanos.clear();
    Loop next = new Loop(term, stillLeader);
    loop = next;
    next.thread.start();
    LOG.info("dispatcher started for term {}", term);
  }

  /**
   * Stops starting attempts; returns at once. Attempts under way finish and record their outcomes.
   */
  public synchronized void stop() {
    Loop current = loop;
    if (current != null && current.active) {
      current.halt();
      LOG.info("dispatcher stopped (term {})", current.term);
    }
  }

  /** Waits until no attempt runs, up to {@code deadline}; true if none does. */
  public boolean awaitIdle(Duration deadline) throws InterruptedException {
    long left = deadline.toNanos();
    idleLock.lock();
    try {
      while (running.get() > 0) {
        if (left <= 0) {
          return false;
        }
        left = idle.awaitNanos(left);
      }
      return true;
    } finally {
      idleLock.unlock();
    }
  }

  /** New or rescheduled jobs may be due. Cheap; callable from any thread. */
  public void wake() {
    woken = true;
    Loop current = loop;
    if (current != null) {
      LockSupport.unpark(current.thread);
    }
  }

  /**
   * The outcome of {@code jobId}'s attempt was applied or dropped: the job may be scanned again.
   */
  public void outcomeSettled(String jobId) {
    inFlight.remove(jobId);
    wake();
  }

  /** Attempts under way right now. */
  public int running() {
    return running.get();
  }

  /** Whether the job's attempt runs or awaits its settled outcome. */
  public boolean isInFlight(String jobId) {
    return inFlight.containsKey(jobId);
  }

  @Override
  public void close() {
    stop();
  }

  private void scan(Loop loop) {
    while (loop.active) {
      try {
        if (!loop.stillLeader.getAsBoolean()) {
          LOG.info("no longer leader of term {}; dispatcher stops", loop.term);
          loop.active = false;
          break;
        }
        woken = false;
        Instant now = clock.instant();
        long nowNanos = System.nanoTime();
        parkedUntilNanos.values().removeIf(until -> until - nowNanos <= 0);
        // Read only as many jobs as can start now: each read job is decoded, and a busy shard
        // would otherwise decode a full window for every permit that frees up.
        int free = permits.availablePermits();
        if (free == 0) {
          permits.acquire();
          permits.release();
          continue;
        }
        // Jobs in flight or parked sit at the front of the index and are skipped: scan past them.
        List<Job> jobs =
            due.due(
                now,
                free,
                free * 8 + inFlight.size() + parkedUntilNanos.size(),
                id -> inFlight.containsKey(id) || parkedUntilNanos.containsKey(id));
        if (jobs.isEmpty()) {
          pause(loop, idleWait(now), true);
          continue;
        }
        int started = 0;
        for (Job job : jobs) {
          if (!loop.active || !loop.stillLeader.getAsBoolean()) {
            break;
          }
          if (tryStart(loop, job)) {
            started++;
          }
        }
        if (started == 0) {
          pause(loop, SKIPPED_BACKOFF.toNanos(), false);
        }
      } catch (InterruptedException e) {
        // stop() interrupts a loop blocked on a permit; the loop condition ends it
      } catch (Throwable t) {
        if (!loop.active) {
          break;
        }
        metrics.errors.increment();
        LOG.error("dispatcher scan failed; continuing", t);
        pause(loop, ERROR_BACKOFF.toNanos(), false);
      }
    }
  }

  private long idleWait(Instant now) {
    long wait = IDLE_WAIT.toNanos();
    Optional<Instant> earliest = due.earliestDue();
    if (earliest.isPresent() && earliest.get().isAfter(now)) {
      wait = Math.min(wait, Duration.between(now, earliest.get()).toNanos());
    }
    return wait;
  }

  private void pause(Loop loop, long nanos, boolean wakeable) {
    long deadline = System.nanoTime() + nanos;
    while (loop.active && !(wakeable && woken)) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.interrupted()) {
        return;
      }
      LockSupport.parkNanos(this, left);
    }
  }

  private boolean tryStart(Loop loop, Job job) throws InterruptedException {
    if (inFlight.containsKey(job.id())) {
      return false;
    }
    String host = hostOf(job);
    // Back-pressure: the scan waits here while every worker is busy.
    permits.acquire();
    boolean started = false;
    try {
      if (!loop.active || !loop.stillLeader.getAsBoolean()) {
        return false;
      }
      Bulkhead bulkhead = bulkheads.bulkhead(host);
      if (!bulkhead.tryAcquirePermission()) {
        park(job.id(), BULKHEAD_PARK);
        metrics.skippedBulkhead.increment();
        return false;
      }
      CircuitBreaker breaker = breakers.circuitBreaker(host);
      if (!breaker.tryAcquirePermission()) {
        bulkhead.releasePermission();
        park(job.id(), BREAKER_PARK);
        metrics.skippedBreaker.increment();
        return false;
      }
      Flight flight = new Flight();
      if (inFlight.putIfAbsent(job.id(), flight) != null) {
        bulkhead.releasePermission();
        breaker.releasePermission();
        return false;
      }
      // Once marked in flight, any earlier attempt's outcome is applied (settling happens after
      // apply), so this read tells whether the scan saw the job before that outcome.
      if (!due.unchanged(job)) {
        inFlight.remove(job.id(), flight);
        bulkhead.releasePermission();
        breaker.releasePermission();
        metrics.skippedStale.increment();
        return false;
      }
      running.incrementAndGet();
      try {
        Thread.ofVirtual()
            .name("attempt-" + job.id())
            .start(() -> runAttempt(job, flight, bulkhead, breaker));
      } catch (Throwable t) {
        inFlight.remove(job.id(), flight);
        bulkhead.releasePermission();
        breaker.releasePermission();
        attemptEnded();
        throw t;
      }
      started = true;
      return true;
    } finally {
      if (!started) {
        permits.release();
      }
    }
  }

  private void runAttempt(Job job, Flight flight, Bulkhead bulkhead, CircuitBreaker breaker) {
    int number = job.attempts().size() + 1;
    Instant startedAt = clock.instant();
    try {
      AttemptOutcome outcome;
      try {
        outcome = delivery.attempt(job, number, startedAt);
      } catch (Throwable t) {
        // delivery reports every failure as an outcome; a bug must still free the job
        metrics.errors.increment();
        LOG.error("delivery of {} threw", job.id(), t);
        outcome =
            new AttemptOutcome(
                job.id(), number, startedAt, 0, null, "delivery error: " + t, null, false);
      }
      recordBreaker(breaker, outcome);
      bulkhead.onComplete();
      permits.release();
      metrics.record(outcome);
      flight.done = true;
      try {
        sink.record(outcome);
      } catch (Throwable t) {
        LOG.error("outcome of {} could not be recorded; it will be attempted again", job.id(), t);
        inFlight.remove(job.id(), flight);
      }
    } finally {
      attemptEnded();
    }
  }

  private static void recordBreaker(CircuitBreaker breaker, AttemptOutcome outcome) {
    Integer status = outcome.statusCode();
    if (outcome.permanent()) {
      // a refused target or malformed request says nothing about the host's health
      breaker.releasePermission();
    } else if (status == null || status == 429 || status >= 500) {
      breaker.onError(outcome.durationMs(), TimeUnit.MILLISECONDS, ReceiverFailure.INSTANCE);
    } else {
      breaker.onSuccess(outcome.durationMs(), TimeUnit.MILLISECONDS);
    }
  }

  private void attemptEnded() {
    if (running.decrementAndGet() == 0) {
      idleLock.lock();
      try {
        idle.signalAll();
      } finally {
        idleLock.unlock();
      }
    }
  }

  private void park(String jobId, Duration d) {
    parkedUntilNanos.put(jobId, System.nanoTime() + d.toNanos());
  }

  private static String hostOf(Job job) {
    HttpUrl url = job.url() == null ? null : HttpUrl.parse(job.url());
    // Unparseable URLs fail permanently in delivery; they share one key meanwhile.
    return url == null ? "" : url.host();
  }

  /** One scan loop, owned by one leader term. */
  private final class Loop {
    final long term;
    final BooleanSupplier stillLeader;
    final Thread thread;
    volatile boolean active = true;

    Loop(long term, BooleanSupplier stillLeader) {
      this.term = term;
      this.stillLeader = stillLeader;
      this.thread =
          Thread.ofPlatform().name("dispatcher-scan").daemon().unstarted(() -> scan(this));
    }

    void halt() {
      active = false;
      thread.interrupt();
    }
  }

  /** An attempt in flight; done once its outcome went to the sink. */
  private static final class Flight {
    volatile boolean done;
  }

  /** What a circuit breaker counts as a failed call; outcomes carry the details. */
  private static final class ReceiverFailure extends Exception {
    static final ReceiverFailure INSTANCE = new ReceiverFailure();

    private ReceiverFailure() {
      super("receiver failed", null, false, false);
    }
  }

  private static final class Metrics {
    final Counter success;
    final Counter retryable;
    final Counter failed;
    final Counter permanent;
    final Counter errors;
    final Counter skippedBulkhead;
    final Counter skippedBreaker;
    final Counter skippedStale;
    final Timer latency;

    Metrics(MeterRegistry registry, AtomicInteger running) {
      success = attempts(registry, "success");
      retryable = attempts(registry, "retryable");
      failed = attempts(registry, "failed");
      permanent = attempts(registry, "permanent");
      errors =
          Counter.builder("shardhook.dispatcher.errors")
              .description("Unexpected errors in the dispatcher loop")
              .register(registry);
      skippedBulkhead = skipped(registry, "bulkhead");
      skippedBreaker = skipped(registry, "circuit_open");
      skippedStale = skipped(registry, "stale_read");
      latency =
          Timer.builder("shardhook.delivery.latency")
              .description("Duration of delivery attempts")
              .publishPercentileHistogram()
              .register(registry);
      Gauge.builder("shardhook.running", running, AtomicInteger::get)
          .description("Delivery attempts under way")
          .register(registry);
    }

    void record(AttemptOutcome o) {
      latency.record(o.durationMs(), TimeUnit.MILLISECONDS);
      Integer s = o.statusCode();
      if (s != null && s >= 200 && s <= 299) {
        success.increment();
      } else if (o.permanent()) {
        permanent.increment();
      } else if (RetryPolicy.isRetryable(s)) {
        retryable.increment();
      } else {
        failed.increment();
      }
    }

    private static Counter attempts(MeterRegistry registry, String outcome) {
      return Counter.builder("shardhook.attempts")
          .description("Delivery attempts by outcome")
          .tag("outcome", outcome)
          .register(registry);
    }

    private static Counter skipped(MeterRegistry registry, String reason) {
      return Counter.builder("shardhook.dispatcher.skipped")
          .description("Due jobs not started by a scan, by reason")
          .tag("reason", reason)
          .register(registry);
    }
  }
}
