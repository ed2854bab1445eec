package dev.shardhook.node.raft;

import dev.shardhook.node.delivery.AttemptKey;
import dev.shardhook.node.delivery.RetryPolicy;
import dev.shardhook.node.delivery.RetryPolicy.RetryDecision;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.DisabledDestination;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.ScheduleResult;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.queue.QueueCounts;
import dev.shardhook.node.store.IdempotencyRecord;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.OrderingSeq;
import dev.shardhook.node.store.StoreBatch;
import dev.shardhook.node.store.StoreException;
import dev.shardhook.node.store.StoredJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one committed command into one atomic store write. Deterministic: it reads only the store
 * and the command (no clock, no randomness), so every replica writes the same bytes.
 */
final class EntryApplier {
  private static final Logger LOG = LoggerFactory.getLogger(EntryApplier.class);
  private final JobStore store;
  private final String shardId;
  private final boolean purgeAfterExport;
  private final OrderingPolicy ordering;
  private final ScheduleApplier schedules;

  EntryApplier(JobStore store, String shardId) {
    this(store, shardId, false);
  }

  EntryApplier(JobStore store, String shardId, boolean purgeAfterExport) {
    this(store, shardId, purgeAfterExport, OrderingPolicy.BLOCK);
  }

  /**
   * @param purgeAfterExport the purge keeps jobs that became final after the history exporter's
   *     position (README, "Job history")
   * @param ordering what an ordering key does after its head fails terminally (README, "Ordering")
   */
  EntryApplier(JobStore store, String shardId, boolean purgeAfterExport, OrderingPolicy ordering) {
    this.store = store;
    this.shardId = shardId;
    this.purgeAfterExport = purgeAfterExport;
    this.ordering = ordering;
    this.schedules = new ScheduleApplier(store);
  }

  /** A replay entry's reply: one result per job, in order. */
  record ReplayReply(List<ReplayResult> results) {}

  /** What one entry did: the reply for the proposer and the ids whose outcomes were settled. */
  record Applied(Object reply, List<AttemptKey> settledJobIds, boolean newDueWork) {}

  Applied apply(Command command, long term, long index) {
    try (StoreBatch batch = store.batch()) {
      batch.logIndex(index);
      Tx tx = new Tx(batch, store.pending(), store.stored(), index);
      Applied applied =
          switch (command) {
            case Command.Submit s -> new Applied(submit(tx, s), List.of(), true);
            case Command.Outcome o -> new Applied(null, outcomes(tx, o), true);
            case Command.Cancel c -> new Applied(cancel(tx, c), List.of(), false);
            case Command.Purge p -> new Applied(purge(tx, p), List.of(), false);
            case Command.Replay r -> new Applied(new ReplayReply(replay(tx, r)), List.of(), true);
            case Command.StartOperation o -> new Applied(startOperation(tx, o), List.of(), false);
            case Command.ExportedThrough e -> {
              batch.exportedThrough(e.index());
              yield new Applied(null, List.of(), false);
            }
            case Command.PutSchedule p -> new Applied(schedules.put(tx.batch, p), List.of(), false);
            case Command.SetSchedulePaused p ->
                new Applied(schedules.setPaused(tx.batch, p), List.of(), false);
            case Command.DeleteSchedule d ->
                new Applied(schedules.delete(tx.batch, d), List.of(), false);
            case Command.FireSchedule f -> new Applied(fire(tx, f), List.of(), true);
            case Command.PutQueue q ->
                new Applied(QueueEntries.put(store, batch, q), List.of(), true);
            case Command.DeleteQueue q ->
                new Applied(QueueEntries.delete(store, batch, q), List.of(), false);
            case Command.SetQueuePaused q ->
                new Applied(QueueEntries.setPaused(store, batch, q), List.of(), true);
            case Command.PurgeQueue q -> new Applied(purgeQueue(tx, q), List.of(), false);
            case Command.DestinationDisabled d -> {
              batch.disableDestination(new DisabledDestination(d.host(), d.atMs(), d.reason()));
              yield new Applied(null, List.of(), false);
            }
            // The host's waiting jobs are due already: the dispatcher takes them up again.
            case Command.DestinationEnabled d -> {
              batch.enableDestination(d.host());
              yield new Applied(null, List.of(), true);
            }
          };
      tx.queueDeltas.forEach(
          (key, delta) -> {
            QueueCounts counts = store.queueCounts(key.tenant(), key.queue());
            batch.queueCounts(key.tenant(), key.queue(), counts.plus(delta[0], delta[1], delta[2]));
          });
      if (tx.stored != tx.storedBefore) {
        batch.stored(tx.stored);
      }
      tx.pendingByTenant.forEach(
          (tenant, delta) -> {
            if (delta != 0) {
              batch.pendingOf(tenant, Math.max(0, store.pendingOf(tenant) + delta));
            }
          });
      tx.ordering.flush();
      batch.pending(tx.pending).applied(term, index).commit();
      return applied;
    }
  }

  /**
   * A schedule's firing: the job (as a submit of it at the entry's time would create it, with the
   * id derived from the schedule and the fire time), and the schedule moved past the firing. A
   * firing before the stored next one was handled already: nothing happens.
   */
  private ScheduleResult fire(Tx tx, Command.FireSchedule f) {
    ScheduleRecord s = store.schedule(f.scheduleId()).orElse(null);
    if (!ScheduleApplier.takes(s, f)) {
      return new ScheduleResult(ScheduleResult.Kind.IGNORED, s);
    }
    if (f.fire()) {
      NewJob job = ScheduleApplier.job(s, f.fireAtMs());
      Command.Submit submit = new Command.Submit(f.atMs(), f.atMs(), List.of(), List.of(job));
      tx.begin();
      try {
        submitOne(tx, job, submit, Instant.ofEpochMilli(f.atMs()), 0);
        tx.end();
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        // The same on every replica: the firing counts as handled, without its job.
        tx.rollback();
        LOG.error("schedule {} cannot fire its job for {}", s.id(), f.fireAtMs(), e);
      }
    }
    ScheduleRecord after = s.advanced(f.fireAtMs(), f.fire(), f.skipped(), f.nextFireAtMs());
    tx.batch.putSchedule(after);
    return new ScheduleResult(ScheduleResult.Kind.FIRED, after);
  }

  private List<SubmitResult> submit(Tx tx, Command.Submit s) {
    Set<Integer> rejected = new HashSet<>(s.rejected());
    List<SubmitResult> results = new ArrayList<>(s.jobs().size());
    Instant acceptedAt = Instant.ofEpochMilli(s.acceptedAtMs());
    for (int i = 0; i < s.jobs().size(); i++) {
      NewJob n = s.jobs().get(i);
      if (rejected.contains(i)) {
        results.add(new SubmitResult(SubmitResult.Kind.QUEUE_FULL, null));
        continue;
      }
      tx.begin();
      try {
        results.add(submitOne(tx, n, s, acceptedAt, i));
        tx.end();
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        // Deterministic on every replica (same bytes, same state): refuse this job, keep the rest.
        tx.rollback();
        LOG.error("job {} of the entry cannot be applied; refused in its reply", i, e);
        results.add(new SubmitResult(SubmitResult.Kind.UNAPPLICABLE, null));
      }
    }
    return results;
  }

  private SubmitResult submitOne(
      Tx tx, NewJob n, Command.Submit s, Instant acceptedAt, int position) {
    Optional<StoredJob> earlier = earlierJob(tx, n, s.acceptedAtMs());
    if (earlier.isPresent()) {
      StoredJob e = earlier.get();
      SubmitResult.Kind kind =
          e.fingerprint().equals(n.fingerprint())
              ? SubmitResult.Kind.REPLAYED
              : SubmitResult.Kind.MISMATCH;
      return new SubmitResult(kind, e.job());
    }
    Instant due = TimeBounds.clamp(firstAttemptAt(n, acceptedAt));
    JobRecord job =
        new JobRecord(
            n.id(),
            shardId,
            JobState.PENDING,
            n.url(),
            n.method(),
            n.headers(),
            n.body(),
            n.idempotencyKey(),
            Duration.ofMillis(n.timeoutMs()),
            n.retry(),
            acceptedAt,
            due,
            null,
            List.of(),
            0,
            null,
            n.queue(),
            n.orderingKey());
    StoredJob stored = new StoredJob(job, n.fingerprint());
    tx.put(stored, null);
    // Behind an unfinished job of its key it waits, pending, out of the due index.
    if (joinOrdering(tx, job, position)) {
      tx.batch.putDue(due.toEpochMilli(), n.id());
    }
    if (n.idempotencyKey() != null) {
      IdempotencyRecord rec = new IdempotencyRecord(n.id(), n.fingerprint(), s.keyExpiresAtMs());
      tx.putKey(n.idempotencyKey(), rec);
    }
    tx.pending++;
    tx.pendingOf(n.id(), 1);
    tx.stored++;
    return new SubmitResult(SubmitResult.Kind.CREATED, job);
  }

  /** {@code runAt}, else acceptance plus {@code delayMs}; a time in the past means at once. */
  private static Instant firstAttemptAt(NewJob n, Instant acceptedAt) {
    if (n.runAt() != null) {
      return n.runAt().isBefore(acceptedAt) ? acceptedAt : n.runAt();
    }
    long delay = n.delayMs() == null ? 0 : Math.max(0, n.delayMs());
    return TimeBounds.plusMillis(acceptedAt, delay);
  }

  private Optional<StoredJob> earlierJob(Tx tx, NewJob n, long nowMs) {
    if (n.idempotencyKey() != null) {
      IdempotencyRecord rec = tx.keys.get(n.idempotencyKey());
      if (rec == null) {
        rec = store.idempotency(n.idempotencyKey()).orElse(null);
      }
      if (rec != null && rec.expiresAtMs() > nowMs) {
        Optional<StoredJob> byKey = tx.job(rec.jobId());
        if (byKey.isPresent()) {
          return byKey;
        }
      }
    }
    return tx.job(n.id());
  }

  private List<AttemptKey> outcomes(Tx tx, Command.Outcome o) {
    List<AttemptKey> settled = new ArrayList<>(o.outcomes().size());
    for (int i = 0; i < o.outcomes().size(); i++) {
      AttemptOutcome out = o.outcomes().get(i);
      settled.add(new AttemptKey(out.jobId(), out.attemptNumber()));
      double jitter = i < o.jitters().size() ? o.jitters().get(i) : 0;
      tx.begin();
      try {
        outcome(tx, out, jitter);
        tx.end();
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        tx.rollback();
        LOG.error(
            "outcome of job {} attempt {} cannot be applied", out.jobId(), out.attemptNumber(), e);
        failUnschedulable(tx, out, e);
      }
    }
    return settled;
  }

  private void outcome(Tx tx, AttemptOutcome out, double jitter) {
    Optional<StoredJob> found = tx.job(out.jobId());
    if (found.isEmpty()) {
      return;
    }
    StoredJob stored = found.get();
    JobRecord job = stored.job();
    // A duplicate from an earlier leader, or an attempt for a job that was cancelled meanwhile.
    if (job.state() != JobState.PENDING || job.nextAttemptNumber() != out.attemptNumber()) {
      return;
    }
    RetryDecision decision =
        RetryPolicy.decide(
            job.retry(), job.budgetStartedAt(), job.attemptsBeforeReplay(), out, jitter);
    List<AttemptRecord> attempts = withAttempt(job, out);
    tx.batch.deleteDue(job.nextAttemptAt().toEpochMilli(), job.id());
    Instant endedAt = endOf(out);
    JobRecord next =
        switch (decision.kind()) {
          case RETRY -> {
            Instant at = TimeBounds.clamp(decision.nextAttemptAt());
            tx.batch.putDue(at.toEpochMilli(), job.id());
            yield job.moved(JobState.PENDING, at, null, attempts);
          }
          case SUCCEEDED -> finish(tx, job, JobState.SUCCEEDED, endedAt, attempts);
          case FAILED -> finish(tx, job, JobState.FAILED, endedAt, attempts);
        };
    tx.put(new StoredJob(next, stored.fingerprint()), job);
    if (next.state().isTerminal()) {
      orderingFinished(tx, next, endedAt);
    }
  }

  /**
   * An outcome whose retry decision cannot be applied would leave the job due at once and be
   * attempted again and again: the job fails instead, with its attempt recorded. If even that
   * cannot be written, the outcome is dropped and the job stays as it was.
   */
  private void failUnschedulable(Tx tx, AttemptOutcome out, RuntimeException cause) {
    tx.begin();
    try {
      Optional<StoredJob> found = tx.job(out.jobId());
      JobRecord job = found.map(StoredJob::job).orElse(null);
      if (job != null
          && job.state() == JobState.PENDING
          && job.nextAttemptNumber() == out.attemptNumber()) {
        tx.batch.deleteDue(job.nextAttemptAt().toEpochMilli(), job.id());
        JobRecord failed = finish(tx, job, JobState.FAILED, endOf(out), withAttempt(job, out));
        tx.put(new StoredJob(failed, found.get().fingerprint()), job);
        orderingFinished(tx, failed, endOf(out));
      }
      tx.end();
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      // The same exception again (the JIT throws one preallocated instance for hot implicit
      // exceptions) cannot suppress itself.
      if (e != cause) {
        e.addSuppressed(cause);
      }
      tx.rollback();
      LOG.error("job {} left unchanged: its outcome cannot be recorded", out.jobId(), e);
    }
  }

  private static List<AttemptRecord> withAttempt(JobRecord job, AttemptOutcome out) {
    List<AttemptRecord> attempts = new ArrayList<>(job.attempts());
    attempts.add(AttemptRecord.of(out));
    return attempts;
  }

  private static Instant endOf(AttemptOutcome out) {
    return TimeBounds.clamp(TimeBounds.plusMillis(out.startedAt(), Math.max(0, out.durationMs())));
  }

  private CancelResult cancel(Tx tx, Command.Cancel c) {
    Optional<StoredJob> found = tx.job(c.jobId());
    if (found.isEmpty()) {
      return new CancelResult(CancelResult.Kind.NOT_FOUND, null);
    }
    StoredJob stored = found.get();
    JobRecord job = stored.job();
    Instant at = Instant.ofEpochMilli(c.atMs());
    if (job.state() == JobState.FAILED && blocksItsKey(tx, job)) {
      // A failed head that blocks its key: cancelling it lets the key move on. It stays final,
      // with its failure time; only its status changes.
      JobRecord cancelled = job.moved(JobState.CANCELLED, null, job.finishedAt(), job.attempts());
      tx.put(new StoredJob(cancelled, stored.fingerprint()), job);
      leaveOrdering(tx, job, at);
      return new CancelResult(CancelResult.Kind.CANCELLED, cancelled);
    }
    if (job.state().isTerminal()) {
      return new CancelResult(CancelResult.Kind.ALREADY_FINISHED, job);
    }
    tx.batch.deleteDue(job.nextAttemptAt().toEpochMilli(), job.id());
    JobRecord cancelled = finish(tx, job, JobState.CANCELLED, at, job.attempts());
    tx.put(new StoredJob(cancelled, stored.fingerprint()), job);
    leaveOrdering(tx, job, at);
    return new CancelResult(CancelResult.Kind.CANCELLED, cancelled);
  }

  /**
   * Cancels the queue's pending jobs created before the purge began, oldest first, up to the
   * entry's limit, each as {@link Command.Cancel} would (README, "Queues"). Replies with the number
   * cancelled.
   */
  private Long purgeQueue(Tx tx, Command.PurgeQueue q) {
    long cancelled = 0;
    for (String id :
        store.queuePending(q.tenant(), q.name(), q.createdBeforeMs(), Math.max(0, q.limit()))) {
      tx.begin();
      try {
        if (cancel(tx, new Command.Cancel(id, q.atMs())).kind() == CancelResult.Kind.CANCELLED) {
          cancelled++;
        }
        tx.end();
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        tx.rollback();
        LOG.error("job {} of a queue purge cannot be cancelled; left pending", id, e);
      }
    }
    return cancelled;
  }

  /**
   * Moves each failed or cancelled job back to pending, due at the entry's time, with a fresh retry
   * budget; its attempts stay, so numbering continues. Jobs admission refused, and jobs in any
   * other state, are left as they are.
   */
  private List<ReplayResult> replay(Tx tx, Command.Replay r) {
    OperationRecord op = null;
    if (r.operationId() != null) {
      op = store.operation(r.operationId()).orElse(null);
      // A page proposed twice (a retry, or an old leader's) finds the operation moved on.
      if (op == null || !op.running() || !Objects.equals(op.position(), r.from())) {
        return List.of();
      }
    }
    Set<Integer> rejected = new HashSet<>(r.rejected());
    List<ReplayResult> results = new ArrayList<>(r.jobIds().size());
    Instant at = TimeBounds.clamp(Instant.ofEpochMilli(r.atMs()));
    long replayed = 0;
    for (int i = 0; i < r.jobIds().size(); i++) {
      Optional<StoredJob> found = tx.job(r.jobIds().get(i));
      if (found.isEmpty()) {
        results.add(new ReplayResult(ReplayResult.Kind.NOT_FOUND, null));
        continue;
      }
      StoredJob stored = found.get();
      JobRecord job = stored.job();
      if (!job.replayable()) {
        results.add(new ReplayResult(ReplayResult.Kind.NOT_REPLAYABLE, job));
      } else if (rejected.contains(i)) {
        results.add(new ReplayResult(ReplayResult.Kind.QUEUE_FULL, job));
      } else {
        JobRecord replayedJob = job.replayed(at);
        // Its finished entry, so the purge does not take it back while it is pending; an entry
        // the purge position had moved (see finish) stays, and the purge skips it as stale.
        if (job.finishedAt() != null) {
          tx.batch.deleteFinished(job.finishedAt().toEpochMilli(), job.id());
        }
        if (replayIntoOrdering(tx, job, i)) {
          tx.batch.putDue(at.toEpochMilli(), job.id());
        }
        tx.pending++;
        tx.pendingOf(job.id(), 1);
        tx.put(new StoredJob(replayedJob, stored.fingerprint()), job);
        results.add(new ReplayResult(ReplayResult.Kind.REPLAYED, replayedJob));
        replayed++;
      }
    }
    // An operation's page is admitted whole or not at all: refused, it stays where it was and the
    // worker proposes it again once the queue has room.
    if (op != null && rejected.isEmpty()) {
      long skipped = results.size() - replayed;
      tx.batch.putOperation(op.advanced(replayed, skipped, r.to(), r.last() ? r.atMs() : null));
    }
    return results;
  }

  /**
   * Starts a bulk operation at the entry's time, or answers with the one its id (derived from the
   * idempotency key) already names: the same when the filter is the same, else a mismatch.
   */
  private OperationResult startOperation(Tx tx, Command.StartOperation o) {
    OperationRecord asked = o.operation();
    Optional<OperationRecord> earlier = store.operation(asked.id());
    if (earlier.isPresent()) {
      return new OperationResult(
          earlier.get().sameFilter(asked)
              ? OperationResult.Kind.EXISTING
              : OperationResult.Kind.MISMATCH,
          earlier.get());
    }
    OperationRecord started = OperationRecord.started(asked, o.atMs());
    tx.batch.putOperation(started);
    return new OperationResult(OperationResult.Kind.STARTED, started);
  }

  /**
   * Removes finished jobs past retention, oldest first, then idempotency records whose window has
   * ended and whose job is gone; a record still in its window when its job goes is removed by its
   * key-expiry entry later, and a job still stored when its key expires takes the record with it
   * when it is purged; bulk operations finished by the cutoff go too. Replies with the number of
   * jobs removed.
   */
  private Long purge(Tx tx, Command.Purge p) {
    long purged = 0;
    List<JobStore.Indexed> finished = store.finishedUpTo(p.finishedBeforeMs(), p.limit());
    long exported = purgeAfterExport ? store.exportedThrough() : Long.MAX_VALUE;
    JobStore.Indexed waiting = null;
    for (JobStore.Indexed f : finished) {
      Optional<StoredJob> found = tx.job(f.id());
      // Not yet in the history: it stays, and so does every later entry, until the exporter passes
      // it. A job final before the export queue existed has no finish index and is not waited for.
      if (found.isPresent()
          && found.get().job().state().isTerminal()
          && store.finishIndex(f.id()).orElse(-1L) > exported) {
        waiting = f;
        break;
      }
      tx.batch.deleteFinished(f.atMs(), f.id());
      if (found.isEmpty() || !found.get().job().state().isTerminal()) {
        continue;
      }
      // The entry of an earlier finish: the job was replayed and finished again since, later.
      Instant finishedAt = found.get().job().finishedAt();
      if (finishedAt != null && finishedAt.toEpochMilli() > p.finishedBeforeMs()) {
        continue;
      }
      JobRecord job = found.get().job();
      tx.delete(job);
      // A failed head blocking its key goes with retention too: the key moves on.
      leaveOrdering(tx, job, Instant.ofEpochMilli(p.atMs()));
      purged++;
      String key = job.idempotencyKey();
      if (key != null) {
        IdempotencyRecord rec = store.idempotency(key).orElse(null);
        if (rec != null && rec.jobId().equals(job.id()) && rec.expiresAtMs() <= p.atMs()) {
          tx.batch.deleteIdempotency(key);
        }
      }
    }
    // Every entry before this time is gone: later scans start here, past the tombstones. It never
    // passes the newest entry purged, so a leader clock far ahead cannot push it into the future.
    long before = Long.MIN_VALUE;
    if (waiting != null) {
      before = waiting.atMs();
    } else if (!finished.isEmpty()) {
      long last = finished.getLast().atMs();
      before = finished.size() < p.limit() && last < Long.MAX_VALUE ? last + 1 : last;
    }
    if (before > tx.purgedBefore()) {
      tx.batch.purgedBefore(before);
    }
    // Bulk operations go with the jobs they replayed: after the same retention.
    for (String op : store.operationsFinishedBy(p.finishedBeforeMs(), p.limit())) {
      tx.batch.deleteOperation(op);
    }
    for (JobStore.Indexed k : store.keysExpiredBy(p.atMs(), p.limit())) {
      tx.batch.deleteKeyExpiry(k.atMs(), k.id());
      IdempotencyRecord rec = store.idempotency(k.id()).orElse(null);
      // A record written again since (the key reused after its window) has its own entry.
      if (rec != null && rec.expiresAtMs() == k.atMs() && tx.job(rec.jobId()).isEmpty()) {
        tx.batch.deleteIdempotency(k.id());
      }
    }
    return purged;
  }

  private static JobRecord finish(
      Tx tx, JobRecord job, JobState state, Instant finishedAt, List<AttemptRecord> attempts) {
    // Never behind the purge position, or the purge scan (which starts there) would miss it.
    tx.batch.putFinished(Math.max(finishedAt.toEpochMilli(), tx.purgedBefore()), job.id());
    tx.pending--;
    tx.pendingOf(job.id(), -1);
    return job.moved(state, null, finishedAt, attempts);
  }

  // Ordering keys (README, "Ordering"). The dispatcher needs no rule of its own: only a key's head
  // is ever in the due index, and the next job becomes due in the same apply that records the
  // head's final outcome, so one key never has two jobs attempted at once, on any leader. (An old
  // leader cut off mid-attempt may still be sending its last attempt; delivery is at least once.)

  /** Puts a new job into its key; true when it is the head and so due now. */
  private boolean joinOrdering(Tx tx, JobRecord job, int position) {
    if (job.orderingKey() == null) {
      return true;
    }
    return tx.ordering.join(
        OrderingKeys.scopedKey(job), new OrderingSeq(tx.index, position), job.id());
  }

  /**
   * A replayed job: a failed head that blocked its key is simply due again (it is still the head);
   * one that had left its key joins it again at the end, at this entry's place, and waits when the
   * key has other jobs. True when it is due now.
   */
  private boolean replayIntoOrdering(Tx tx, JobRecord job, int position) {
    if (job.orderingKey() == null) {
      return true;
    }
    if (tx.ordering.place(job.id()).isPresent()) {
      tx.ordering.blocked(-1);
      return true;
    }
    return joinOrdering(tx, job, position);
  }

  /** A head reached a final state: its key moves on, unless a failure blocks it. */
  private void orderingFinished(Tx tx, JobRecord job, Instant at) {
    if (job.orderingKey() == null || tx.ordering.place(job.id()).isEmpty()) {
      return;
    }
    if (job.state() == JobState.FAILED
        && ordering.onFailure(TenantIds.tenantOf(job.id()), job.queue())
            == OrderingPolicy.OnFailure.BLOCK) {
      tx.ordering.blocked(1);
      return;
    }
    leaveOrdering(tx, job, at, false);
  }

  /** Whether {@code job} (failed) is the head that blocks its key. */
  private static boolean blocksItsKey(Tx tx, JobRecord job) {
    return job.orderingKey() != null && tx.ordering.isHead(OrderingKeys.scopedKey(job), job.id());
  }

  /**
   * The job left its key at {@code at} (it finished, was cancelled or purged, or a bulk path took
   * it out; {@code job} as it was before): when it was the head, the next job becomes due at its
   * own time or {@code at}, whichever is later. Callers with their own bulk cancel or purge call
   * this once per job.
   */
  private void leaveOrdering(Tx tx, JobRecord job, Instant at) {
    // A failed job still in its key is a head that blocked it.
    leaveOrdering(tx, job, at, job.state() == JobState.FAILED);
  }

  private void leaveOrdering(Tx tx, JobRecord job, Instant at, boolean blocking) {
    if (job.orderingKey() == null) {
      return;
    }
    Optional<OrderingSeq> place = tx.ordering.place(job.id());
    if (place.isEmpty()) {
      return;
    }
    String key = OrderingKeys.scopedKey(job);
    boolean wasHead = tx.ordering.isHead(key, job.id());
    if (wasHead && blocking) {
      tx.ordering.blocked(-1);
    }
    tx.ordering.leave(key, place.get(), job.id());
    if (!wasHead) {
      return;
    }
    Optional<JobStore.OrderingEntry> next = tx.ordering.head(key);
    if (next.isEmpty()) {
      return;
    }
    Optional<StoredJob> found = tx.job(next.get().jobId());
    if (found.isEmpty() || found.get().job().state() != JobState.PENDING) {
      return;
    }
    JobRecord waiting = found.get().job();
    Instant due = waiting.nextAttemptAt().isAfter(at) ? waiting.nextAttemptAt() : at;
    if (!due.equals(waiting.nextAttemptAt())) {
      JobRecord moved = waiting.moved(JobState.PENDING, due, null, waiting.attempts());
      tx.put(new StoredJob(moved, found.get().fingerprint()), waiting);
    }
    tx.batch.putDue(due.toEpochMilli(), waiting.id());
  }

  /** A tenant's queue, whose counts an entry changes. */
  private record QueueKey(String tenant, String queue) {}

  /** Writes of one entry, with reads that see the entry's own earlier writes. */
  private final class Tx {
    final StoreBatch batch;
    final Map<String, StoredJob> jobs = new HashMap<>();
    final Map<String, IdempotencyRecord> keys = new HashMap<>();
    final Set<String> deleted = new HashSet<>();
    final long storedBefore;
    long pending;
    // Change of each tenant's pending count in this entry, for tenant quotas.
    final Map<String, Long> pendingByTenant = new HashMap<>();
    // Change of each queue's counts in this entry: depth, delivered, failed.
    final Map<QueueKey, long[]> queueDeltas = new HashMap<>();
    private Map<QueueKey, long[]> queueDeltasBefore = Map.of();
    long stored;
    private Long purgedBefore;

    final OrderingKeys ordering;
    // The entry's log index: with a job's position in the entry, its place in its ordering key.
    final long index;

    Tx(StoreBatch batch, long pending, long stored, long index) {
      this.batch = batch;
      this.ordering = new OrderingKeys(store, batch);
      this.index = index;
      this.pending = pending;
      this.stored = stored;
      this.storedBefore = stored;
    }

    // Undo for the item in progress, so one item that cannot be applied leaves no trace.
    private final Map<String, StoredJob> jobsBefore = new HashMap<>();
    private final Map<String, IdempotencyRecord> keysBefore = new HashMap<>();
    private long pendingBefore;
    private Map<String, Long> pendingByTenantBefore = Map.of();
    private long storedAtBegin;

    Optional<StoredJob> job(String id) {
      StoredJob written = jobs.get(id);
      if (written != null) {
        return Optional.of(written);
      }
      return deleted.contains(id) ? Optional.empty() : store.job(id);
    }

    /**
     * Writes {@code job}, keeping the list indexes in step with {@code before}, the job as stored
     * until now (null for a new job).
     */
    void put(StoredJob job, JobRecord before) {
      String id = job.job().id();
      if (!jobsBefore.containsKey(id)) {
        jobsBefore.put(id, jobs.get(id));
      }
      jobs.put(id, job);
      deleted.remove(id);
      batch.putJob(job);
      if (before == null) {
        batch.index(job.job());
      } else {
        batch.reindex(before, job.job());
      }
      countQueue(before, job.job());
    }

    /**
     * Keeps the queue's pending index and counts (README, "Queues") in step: a job that becomes
     * pending joins them, one that leaves pending leaves them and counts as delivered or failed.
     */
    private void countQueue(JobRecord before, JobRecord after) {
      boolean was = before != null && before.state() == JobState.PENDING;
      boolean is = after.state() == JobState.PENDING;
      if (was == is) {
        return;
      }
      QueueKey key = new QueueKey(TenantIds.tenantOf(after.id()), after.queue());
      long[] delta = queueDeltas.computeIfAbsent(key, k -> new long[3]);
      if (is) {
        batch.putQueuePending(after);
        delta[0]++;
      } else {
        batch.deleteQueuePending(before);
        delta[0]--;
        if (after.state() == JobState.SUCCEEDED) {
          delta[1]++;
        } else if (after.state() == JobState.FAILED) {
          delta[2]++;
        }
      }
    }

    void delete(JobRecord job) {
      String id = job.id();
      jobs.remove(id);
      deleted.add(id);
      batch.deleteJob(id);
      batch.unindex(job);
      stored--;
    }

    void pendingOf(String jobId, long delta) {
      pendingByTenant.merge(TenantIds.tenantOf(jobId), delta, Long::sum);
    }

    long purgedBefore() {
      if (purgedBefore == null) {
        purgedBefore = store.purgedBefore();
      }
      return purgedBefore;
    }

    void putKey(String key, IdempotencyRecord rec) {
      if (!keysBefore.containsKey(key)) {
        keysBefore.put(key, keys.get(key));
      }
      keys.put(key, rec);
      batch.putIdempotency(key, rec);
      batch.putKeyExpiry(rec.expiresAtMs(), key);
    }

    /** Starts one item (a job or an outcome): {@link #rollback} undoes what follows. */
    void begin() {
      jobsBefore.clear();
      keysBefore.clear();
      pendingBefore = pending;
      pendingByTenantBefore = Map.copyOf(pendingByTenant);
      queueDeltasBefore = new HashMap<>();
      queueDeltas.forEach((k, v) -> queueDeltasBefore.put(k, v.clone()));
      storedAtBegin = stored;
      ordering.begin();
      batch.savePoint();
    }

    /** Keeps what the item wrote. */
    void end() {
      batch.releaseSavePoint();
      jobsBefore.clear();
      keysBefore.clear();
    }

    void rollback() {
      batch.rollbackToSavePoint();
      ordering.rollback();
      jobsBefore.forEach((id, before) -> restore(jobs, id, before));
      keysBefore.forEach((key, before) -> restore(keys, key, before));
      pending = pendingBefore;
      pendingByTenant.clear();
      pendingByTenant.putAll(pendingByTenantBefore);
      queueDeltas.clear();
      queueDeltas.putAll(queueDeltasBefore);
      stored = storedAtBegin;
      jobsBefore.clear();
      keysBefore.clear();
    }

    private static <V> void restore(Map<String, V> map, String key, V before) {
      if (before == null) {
        map.remove(key);
      } else {
        map.put(key, before);
      }
    }
  }
}
