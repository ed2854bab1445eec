package dev.shardhook.node.delivery;

import dev.shardhook.node.job.JobRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leader term's scan loop, on one platform thread: reads the due index in bounded windows,
 * going on from where the last read stopped (so jobs it already holds are walked once per pass, not
 * once per read), queues what it reads per destination, and starts attempts round-robin across
 * destinations while workers are free.
 */
final class ScanLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ScanLoop.class);

  static final Duration IDLE_WAIT = Duration.ofMillis(200);
  // While jobs are queued behind busy or parked destinations, look again this often.
  static final Duration BUSY_RECHECK = Duration.ofMillis(50);
  static final Duration NO_LEASE_RECHECK = Duration.ofMillis(10);
  static final Duration ERROR_BACKOFF = Duration.ofMillis(100);
  static final Duration BREAKER_PARK = Duration.ofMillis(500);
  static final Duration FORGET_IDLE = Duration.ofSeconds(60);
  // Index entries one read may walk, queued or not: bounds the time one read holds the loop.
  static final int MAX_SCANNED = 4096;
  static final int MAX_OVERFLOW = 100_000;
  static final int OVERFLOW_BUDGET = 10_000;
  // How often the replicated disabled destinations are read again, and failing ones checked.
  static final Duration DESTINATIONS_REFRESH = Duration.ofMillis(250);

  private final Dispatcher owner;
  private final long term;
  private final BooleanSupplier stillLeader;
  private final BooleanSupplier holdsLease;
  private final Destinations destinations;
  private final int workers;
  private final Thread thread;
  private volatile boolean active = true;
  private volatile boolean dueChanged = true;
  private volatile boolean kicked;
  private DueJobs.Position cursor;
  private boolean caughtUp;
  private int overflowThisPass;
  private long nextHeadPassMs;
  private long nextRefreshMs = Long.MIN_VALUE;

  ScanLoop(Dispatcher owner, long term, BooleanSupplier stillLeader, BooleanSupplier holdsLease) {
    this.owner = owner;
    this.term = term;
    this.stillLeader = stillLeader;
    this.holdsLease = holdsLease;
    this.workers = owner.config().workers();
    int perHost = owner.config().perHostConcurrency();
    // Queued jobs carry their bodies: no more than one read of the old scan could hold at once.
    int maxQueued = Math.max(64, workers);
    this.destinations =
        new Destinations(
            new Destinations.Limits(
                perHost,
                // room for twice what may run, so a busy destination's next jobs are at hand
                Math.max(1, Math.min(2 * perHost, maxQueued / 2)),
                maxQueued,
                MAX_OVERFLOW),
            owner.destinationStates(),
            owner::failsWhileDisabled);
    this.thread = Thread.ofPlatform().name("dispatcher-scan").daemon().unstarted(this::run);
  }

  long term() {
    return term;
  }

  boolean active() {
    return active;
  }

  void begin() {
    thread.start();
  }

  void halt() {
    active = false;
    LockSupport.unpark(thread);
  }

  void dueChanged() {
    dueChanged = true;
    LockSupport.unpark(thread);
  }

  private void kick() {
    kicked = true;
    LockSupport.unpark(thread);
  }

  private void run() {
    try {
      while (active) {
        try {
          if (!stillLeader.getAsBoolean()) {
            LOG.info("no longer leader of term {}; dispatcher stops", term);
            active = false;
            break;
          }
          round();
        } catch (Throwable t) {
          if (!active) {
            break;
          }
          owner.metrics().errors.increment();
          LOG.error("dispatcher scan failed; continuing", t);
          pause(ERROR_BACKOFF.toMillis(), false);
        }
      }
    } finally {
      destinations.clear();
      owner.queueGates().clearParked();
      owner.queuedGauge().set(0);
    }
  }

  private void round() {
    kicked = false;
    boolean readMore = false;
    boolean leased = holdsLease.getAsBoolean();
    long nowMs = owner.clock().millis();
    if (nowMs >= nextRefreshMs) {
      nextRefreshMs = nowMs + DESTINATIONS_REFRESH.toMillis();
      owner.destinationStates().refresh(nowMs);
      destinations.disabled(owner.destinationStates().disabled());
    }
    destinations.tidy(nowMs, nowMs - FORGET_IDLE.toMillis());
    owner.queueGates().tidy(id -> destinations.holds(id) || owner.isInFlight(id), nowMs);
    if (leased) {
      dispatch(nowMs);
    }
    if (destinations.room() > 0) {
      // Caught up, reads go on from the last entry read, where new work lands; now and then a
      // pass from the head picks up what was passed over (jobs let out of overflow, late stamps).
      if (caughtUp && nowMs >= nextHeadPassMs) {
        cursor = null;
        caughtUp = false;
        overflowThisPass = 0;
        nextHeadPassMs = nowMs + headPassDelay(Instant.ofEpochMilli(nowMs));
      }
      if (!caughtUp || dueChanged) {
        dueChanged = false;
        readMore = read(nowMs);
        if (leased) {
          dispatch(nowMs);
        }
      }
    }
    owner.queuedGauge().set(destinations.queued());
    if (!leased) {
      if (destinations.queued() > 0) {
        owner.metrics().skippedNoLease.increment();
      }
      pause(NO_LEASE_RECHECK.toMillis(), false);
    } else if (!readMore || destinations.room() == 0) {
      long wait = destinations.queued() > 0 ? BUSY_RECHECK.toMillis() : IDLE_WAIT.toMillis();
      if (caughtUp) {
        wait = Math.min(wait, Math.max(0, nextHeadPassMs - nowMs));
      }
      pause(wait, destinations.room() > 0);
    }
  }

  /** Reads the next window; true if reading on at once is worth it. */
  private boolean read(long nowMs) {
    Instant now = Instant.ofEpochMilli(nowMs);
    DueJobs.Window window =
        owner
            .due()
            .due(
                now,
                cursor,
                destinations.room(),
                MAX_SCANNED,
                id ->
                    owner.isInFlight(id)
                        || destinations.holds(id)
                        || owner.queueGates().parked(id));
    boolean queuedAny = false;
    for (JobRecord job : window.jobs()) {
      // Queue gate (README, "Queues"): a job of a paused or limited queue stays in the due index
      // and never takes its destination's room; counted as overflow so a long pass stays bounded.
      if (!owner.queueGates().admit(job, nowMs)) {
        overflowThisPass++;
        continue;
      }
      if (destinations.offer(job, nowMs)) {
        queuedAny = true;
      } else {
        owner.queueGates().giveBack(job);
        overflowThisPass++;
        owner.metrics().skippedQueueFull.increment();
      }
    }
    if (window.last() != null) {
      cursor = window.last();
    }
    if (window.end()) {
      caughtUp = true;
      return false;
    }
    // Jobs read for full queues are decoded for nothing (their ids are remembered, up to
    // MAX_OVERFLOW, so later passes skip them undecoded). Past a budget per pass, a window whose
    // every job met a full queue ends the round: the pass goes on at the next one (an attempt
    // ended, new work, or BUSY_RECHECK) at a bounded cost, however large the backlog.
    return queuedAny || window.jobs().isEmpty() || overflowThisPass < OVERFLOW_BUDGET;
  }

  private long headPassDelay(Instant now) {
    long wait = IDLE_WAIT.toMillis();
    Optional<Instant> earliest = owner.due().earliestDue();
    if (earliest.isPresent() && earliest.get().isAfter(now)) {
      wait = Math.min(wait, Duration.between(now, earliest.get()).toMillis());
    }
    return wait;
  }

  /** Starts attempts while workers are free and some destination can take one. */
  private void dispatch(long nowMs) {
    kicked = false;
    while (active && owner.permits().tryAcquire()) {
      Destinations.Admitted next =
          destinations.admit(
              nowMs, BREAKER_PARK.toMillis(), owner.permits().availablePermits(), workers);
      if (next == null) {
        owner.permits().release();
        return;
      }
      if (!stillLeader.getAsBoolean()) {
        next.release();
        owner.permits().release();
        return;
      }
      owner.launch(next, this::kick);
    }
  }

  /**
   * Waits up to {@code millis} or until an attempt ends (or, if {@code onDue}, due work changes).
   */
  private void pause(long millis, boolean onDue) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (active && !(onDue && dueChanged) && !kicked) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(this, left);
    }
  }
}
