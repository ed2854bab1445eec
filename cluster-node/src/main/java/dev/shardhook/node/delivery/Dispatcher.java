package dev.shardhook.node.delivery;

import dev.shardhook.api.Destination;
import dev.shardhook.node.job.DisabledDestination;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueuePolicies;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's delivery machinery: a {@link ScanLoop} per leader term reads the due index in
 * bounded windows into per-destination queues ({@link Destinations}), hands queued jobs out
 * round-robin through each destination's {@link DestinationGate}, and an {@link AttemptRunner} runs
 * each attempt on a virtual thread, within a global limit of {@link DispatchConfig#workers()}
 * attempts.
 *
 * <p>A job is marked in flight from the start of its attempt until the outcome of that same attempt
 * is settled ({@link #outcomeSettled}): an outcome of another attempt (an earlier leader's, say)
 * never clears the mark of one still running, so this node never runs two attempts of a job at
 * once. Outcomes go to the {@link OutcomeSink}; the state machine decides what they mean.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final DispatchConfig config;
  private final DueJobs due;
  private final AttemptRunner runner;
  private final Clock clock;
  private final Semaphore permits;
  private final CircuitBreakerConfig breakerConfig;
  private final DestinationPolicy destinationPolicy;
  private final DestinationStates destinationStates;
  private final Map<String, Flight> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition idle = idleLock.newCondition();
  private final DispatchMetrics metrics;
  private final QueueGates queueGates;

  private volatile ScanLoop loop;
  private boolean closed;

  public Dispatcher(
      DispatchConfig config,
      DueJobs due,
      OutcomeSink sink,
      WebhookDelivery delivery,
      Clock clock,
      MeterRegistry registry) {
    this(config, due, sink, delivery, clock, registry, DestinationPolicy.never());
  }

  /**
   * @param destinationPolicy when a failing destination is disabled, and what its jobs do then
   */
  public Dispatcher(
      DispatchConfig config,
      DueJobs due,
      OutcomeSink sink,
      WebhookDelivery delivery,
      Clock clock,
      MeterRegistry registry,
      DestinationPolicy destinationPolicy) {
    this.config = config;
    this.due = due;
    this.clock = clock;
    this.permits = new Semaphore(config.workers());
    this.breakerConfig = config.destinationBreaker().circuitBreakerConfig();
    this.destinationPolicy = destinationPolicy;
    this.destinationStates =
        new DestinationStates(destinationPolicy, breakerConfig, config.perHostConcurrency());
    this.metrics = new DispatchMetrics(registry, running, queued::get, destinationStates);
    this.runner = new AttemptRunner(delivery, sink, clock, metrics);
    this.queueGates = new QueueGates(registry);
  }

  /** Where the named queues' limits come from (README, "Queues"); until set, none apply. */
  public void useQueues(QueuePolicies policies) {
    queueGates.use(policies);
  }

  /** Jobs of a tenant's queue queued for delivery or running on this node (0 unless leader). */
  public int queueRunning(String tenant, String queue) {
    return queueGates.running(tenant, queue);
  }

  /** As {@link #start(long, BooleanSupplier, BooleanSupplier)}, leading meaning a valid lease. */
  public void start(long term, BooleanSupplier stillLeader) {
    start(term, stillLeader, stillLeader);
  }

  /**
   * Starts the scan loop for {@code term}; does nothing if it already runs for that term, or once
   * the dispatcher is closed. Called once this node is the ready leader. Never blocks for long.
   *
   * @param stillLeader asked on every round; the loop ends when it answers false
   * @param holdsLease asked before attempts start; while false none does (a deposed leader that
   *     does not know it yet must not deliver)
   */
  public synchronized void start(
      long term, BooleanSupplier stillLeader, BooleanSupplier holdsLease) {
    if (closed) {
      return;
    }
    ScanLoop current = loop;
    if (current != null && current.term() == term && current.active()) {
      return;
    }
    if (current != null) {
      current.halt();
    }
    // Finished attempts whose outcomes were proposed in an older term may never be settled; the
    // ones still running keep their mark so the new loop does not start them a second time.
    inFlight.values().removeIf(f -> f.done);
    ScanLoop next = new ScanLoop(this, term, stillLeader, holdsLease);
    loop = next;
    next.begin();
    LOG.info("dispatcher started for term {}", term);
  }

  /**
   * Stops starting attempts; returns at once. Attempts under way finish and record their outcomes.
   */
  public synchronized void stop() {
    ScanLoop current = loop;
    if (current != null && current.active()) {
      current.halt();
      LOG.info("dispatcher stopped (term {})", current.term());
    }
  }

  /**
   * Stops for good (a later {@link #start} does nothing) and waits up to {@code bound} for the
   * attempts under way to finish and hand their outcomes to the sink; true if they all did.
   */
  public boolean drain(Duration bound) throws InterruptedException {
    synchronized (this) {
      closed = true;
    }
    stop();
    boolean idle = awaitIdle(bound);
    if (!idle) {
      LOG.warn(
          "{} attempts still running after {}; the next leader runs them again", running(), bound);
    }
    return idle;
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
    ScanLoop current = loop;
    if (current != null) {
      current.dueChanged();
    }
  }

  /**
   * The outcome of {@code attempt} was applied, ignored or dropped: if that attempt is this node's
   * finished one, its job may be read again. An outcome of any other attempt changes no mark.
   */
  public void outcomeSettled(AttemptKey attempt) {
    inFlight.computeIfPresent(
        attempt.jobId(),
        (id, f) -> f.done && f.attemptNumber == attempt.attemptNumber() ? null : f);
    wake();
  }

  /** Attempts under way right now. */
  public int running() {
    return running.get();
  }

  /**
   * Attempts started on this node whose outcomes are not settled yet: those running and those whose
   * outcome is still on its way through Raft. A leader lost now may see all of them again.
   */
  public int inFlight() {
    return inFlight.size();
  }

  /** Whether the job's attempt runs or awaits its settled outcome. */
  public boolean isInFlight(String jobId) {
    return inFlight.containsKey(jobId);
  }

  /**
   * The destinations this node's dispatcher knows (those it attempted as leader, and every disabled
   * one), as {@code GET /destinations} shows them: all of them when {@code everyTenant}, else those
   * {@code tenant}'s jobs target, sorted by host.
   */
  public List<Destination> destinations(String tenant, boolean everyTenant) {
    return destinationStates.list(tenant, everyTenant, clock.millis());
  }

  /** Stops for good, draining attempts for up to {@link DispatchConfig#shutdownGrace()}. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed && (loop == null || !loop.active())) {
        return;
      }
    }
    try {
      drain(config.shutdownGrace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // What the scan loop uses.

  DispatchConfig config() {
    return config;
  }

  DueJobs due() {
    return due;
  }

  Clock clock() {
    return clock;
  }

  Semaphore permits() {
    return permits;
  }

  CircuitBreakerConfig breakerConfig() {
    return breakerConfig;
  }

  DestinationStates destinationStates() {
    return destinationStates;
  }

  /** Whether {@code job}, its destination disabled, fails rather than waits. */
  boolean failsWhileDisabled(JobRecord job) {
    return destinationPolicy.onDisabled().apply(TenantIds.tenantOf(job.id()), job.queue())
        == QueueConfig.OnDestinationDisabled.FAIL;
  }

  DispatchMetrics metrics() {
    return metrics;
  }

  QueueGates queueGates() {
    return queueGates;
  }

  AtomicInteger queuedGauge() {
    return queued;
  }

  /**
   * Marks {@code admitted}'s job in flight and starts its attempt; false (and everything given
   * back) when a previous attempt of the job is still marked or the read was stale.
   */
  boolean launch(Destinations.Admitted admitted, Runnable kick) {
    var job = admitted.job();
    DestinationGate gate = admitted.gate();
    Flight flight = new Flight(job.nextAttemptNumber());
    if (inFlight.putIfAbsent(job.id(), flight) != null) {
      admitted.release();
      permits.release();
      return false;
    }
    // Once marked in flight, any earlier attempt's outcome is applied (settling happens after
    // apply), so this read tells whether the scan saw the job before that outcome.
    if (!due.unchanged(job)) {
      inFlight.remove(job.id(), flight);
      admitted.release();
      permits.release();
      metrics.skippedStale.increment();
      return false;
    }
    running.incrementAndGet();
    try {
      String refusal =
          admitted.refused()
              ? "destination "
                  + gate.host()
                  + " is disabled ("
                  + describe(destinationStates.disabled().get(gate.host()))
                  + ")"
              : null;
      runner.start(
          job,
          refusal,
          outcome -> {
            if (admitted.refused()) {
              gate.releaseRefused();
            } else if (gate.finished(outcome, clock.millis())) {
              metrics.limitDecreases.increment();
            }
            queueGates.ended(job);
            permits.release();
            // before the sink: its outcome may be applied and settled before record() returns
            flight.done = true;
            // The destination's slot is free now: the next job for it need not wait for the
            // outcome to be handed over.
            kick.run();
          },
          recorded -> {
            if (!recorded) {
              inFlight.remove(job.id(), flight);
            }
            attemptEnded();
            kick.run();
          });
    } catch (Throwable t) {
      inFlight.remove(job.id(), flight);
      admitted.release();
      permits.release();
      attemptEnded();
      throw t;
    }
    return true;
  }

  private static String describe(DisabledDestination d) {
    return d == null || d.reason() == null ? "by an earlier check" : d.reason();
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

  /** This node's attempt of a job: running, or done and awaiting its settled outcome. */
  private static final class Flight {
    final int attemptNumber;
    volatile boolean done;

    Flight(int attemptNumber) {
      this.attemptNumber = attemptNumber;
    }
  }
}
