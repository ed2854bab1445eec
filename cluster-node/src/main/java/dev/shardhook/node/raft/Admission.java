package dev.shardhook.node.raft;

import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.store.IdempotencyRecord;
import dev.shardhook.node.store.JobStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shard's queue limit as the admitting node counts it: pending jobs already applied plus jobs
 * admitted into entries that have not applied yet. Every ticket is released exactly once, when its
 * entry applies or when Ratis cancels it, and a new term starts from zero (the new leader has
 * applied everything before it), so entries that never apply leave no phantom load behind.
 */
public final class Admission {
  private final JobStore store;
  private final long maxPending;
  private final AtomicLong admittedNotApplied = new AtomicLong();
  // Tickets of an earlier generation were already forgotten by reset(): releasing them must not
  // subtract from the new count.
  private final AtomicLong generation = new AtomicLong();

  public Admission(JobStore store, long maxPending) {
    this.store = store;
    this.maxPending = maxPending;
  }

  /** Room for new jobs now; 0 or less when the shard is full. */
  long room() {
    return maxPending - store.pending() - admittedNotApplied.get();
  }

  boolean full() {
    return room() <= 0;
  }

  /**
   * Whether this node's store already holds the job that {@code job} would resubmit (same id, or a
   * live idempotency key): its answer is a replay, which a full shard still gives.
   */
  boolean known(NewJob job, long nowMs) {
    if (store.job(job.id()).isPresent()) {
      return true;
    }
    if (job.idempotencyKey() == null) {
      return false;
    }
    Optional<IdempotencyRecord> rec = store.idempotency(job.idempotencyKey());
    return rec.isPresent() && rec.get().expiresAtMs() > nowMs;
  }

  /** Counts {@code jobs} admitted into an entry that has not applied yet. */
  Ticket admit(int jobs) {
    admittedNotApplied.addAndGet(jobs);
    return new Ticket(jobs, generation.get());
  }

  /** Forgets every outstanding ticket: on a new term, and when this node stops leading. */
  void reset() {
    generation.incrementAndGet();
    admittedNotApplied.set(0);
  }

  /** Jobs one entry holds against the limit until it applies or is cancelled. */
  final class Ticket {
    private final int jobs;
    private final long issuedIn;
    private final AtomicBoolean released = new AtomicBoolean();

    private Ticket(int jobs, long issuedIn) {
      this.jobs = jobs;
      this.issuedIn = issuedIn;
    }

    void release() {
      if (released.compareAndSet(false, true) && issuedIn == generation.get()) {
        admittedNotApplied.updateAndGet(v -> Math.max(0, v - jobs));
      }
    }
  }
}
