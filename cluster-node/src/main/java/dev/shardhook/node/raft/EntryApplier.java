package dev.shardhook.node.raft;

import dev.shardhook.client.Attempt;
import dev.shardhook.client.Job;
import dev.shardhook.client.JobStatus;
import dev.shardhook.node.delivery.AttemptKey;
import dev.shardhook.node.delivery.RetryPolicy;
import dev.shardhook.node.delivery.RetryPolicy.RetryDecision;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.store.IdempotencyRecord;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one committed command into one atomic store write. Deterministic: it reads only the store
 * and the command (no clock, no randomness), so every replica writes the same bytes.
 */
final class EntryApplier {
  private final JobStore store;
  private final String shardId;

  EntryApplier(JobStore store, String shardId) {
    this.store = store;
    this.shardId = shardId;
  }

  /** What one entry did: the reply for the proposer and the ids whose outcomes were settled. */
  record Applied(Object reply, List<AttemptKey> settledJobIds, boolean newDueWork) {}

  Applied apply(Command command, long term, long index) {
    try (JobStore.Batch batch = store.batch()) {
      Tx tx = new Tx(batch, store.pending());
      Applied applied =
          switch (command) {
            case Command.Submit s -> new Applied(submit(tx, s), List.of(), true);
            case Command.Outcome o -> new Applied(null, outcomes(tx, o), true);
            case Command.Cancel c -> new Applied(cancel(tx, c), List.of(), false);
          };
      batch.pending(tx.pending).applied(term, index).commit();
      return applied;
    }
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
      Optional<StoredJob> earlier = earlierJob(tx, n, s.acceptedAtMs());
      if (earlier.isPresent()) {
        StoredJob e = earlier.get();
        SubmitResult.Kind kind =
            e.fingerprint().equals(n.fingerprint())
                ? SubmitResult.Kind.REPLAYED
                : SubmitResult.Kind.MISMATCH;
        results.add(new SubmitResult(kind, e.job()));
        continue;
      }
      Instant due =
          n.runAt() != null
              ? n.runAt()
              : acceptedAt.plusMillis(n.delayMs() == null ? 0 : n.delayMs());
      Job job =
          new Job(
              n.id(),
              shardId,
              JobStatus.PENDING,
              n.url(),
              n.method(),
              n.headers(),
              n.body(),
              n.idempotencyKey(),
              n.timeoutMs(),
              n.retry(),
              acceptedAt,
              due,
              null,
              List.of());
      StoredJob stored = new StoredJob(job, n.fingerprint());
      tx.put(stored);
      tx.batch.putDue(due.toEpochMilli(), n.id());
      if (n.idempotencyKey() != null) {
        IdempotencyRecord rec = new IdempotencyRecord(n.id(), n.fingerprint(), s.keyExpiresAtMs());
        tx.keys.put(n.idempotencyKey(), rec);
        tx.batch.putIdempotency(n.idempotencyKey(), rec);
      }
      tx.pending++;
      results.add(new SubmitResult(SubmitResult.Kind.CREATED, job));
    }
    return results;
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
      Optional<StoredJob> found = tx.job(out.jobId());
      if (found.isEmpty()) {
        continue;
      }
      StoredJob stored = found.get();
      Job job = stored.job();
      // A duplicate from an earlier leader, or an attempt for a job that was cancelled meanwhile.
      if (job.status() != JobStatus.PENDING || job.attempts().size() + 1 != out.attemptNumber()) {
        continue;
      }
      RetryDecision decision =
          RetryPolicy.decide(job.retry(), job.createdAt(), out, o.jitters().get(i));
      List<Attempt> attempts = new ArrayList<>(job.attempts());
      attempts.add(
          new Attempt(
              out.attemptNumber(),
              out.startedAt(),
              out.durationMs(),
              out.statusCode(),
              out.error()));
      tx.batch.deleteDue(job.nextAttemptAt().toEpochMilli(), job.id());
      Instant endedAt = out.startedAt().plusMillis(out.durationMs());
      Job next =
          switch (decision.kind()) {
            case RETRY -> {
              tx.batch.putDue(decision.nextAttemptAt().toEpochMilli(), job.id());
              yield withState(job, JobStatus.PENDING, decision.nextAttemptAt(), null, attempts);
            }
            case SUCCEEDED -> finish(tx, job, JobStatus.SUCCEEDED, endedAt, attempts);
            case FAILED -> finish(tx, job, JobStatus.FAILED, endedAt, attempts);
          };
      tx.put(new StoredJob(next, stored.fingerprint()));
    }
    return settled;
  }

  private CancelResult cancel(Tx tx, Command.Cancel c) {
    Optional<StoredJob> found = tx.job(c.jobId());
    if (found.isEmpty()) {
      return new CancelResult(CancelResult.Kind.NOT_FOUND, null);
    }
    StoredJob stored = found.get();
    Job job = stored.job();
    if (job.status().isTerminal()) {
      return new CancelResult(CancelResult.Kind.ALREADY_FINISHED, job);
    }
    tx.batch.deleteDue(job.nextAttemptAt().toEpochMilli(), job.id());
    Job cancelled =
        finish(tx, job, JobStatus.CANCELLED, Instant.ofEpochMilli(c.atMs()), job.attempts());
    tx.put(new StoredJob(cancelled, stored.fingerprint()));
    return new CancelResult(CancelResult.Kind.CANCELLED, cancelled);
  }

  private static Job finish(
      Tx tx, Job job, JobStatus status, Instant finishedAt, List<Attempt> attempts) {
    tx.batch.putFinished(finishedAt.toEpochMilli(), job.id());
    tx.pending--;
    return withState(job, status, null, finishedAt, attempts);
  }

  private static Job withState(
      Job j, JobStatus status, Instant nextAttemptAt, Instant finishedAt, List<Attempt> attempts) {
    return new Job(
        j.id(),
        j.shardId(),
        status,
        j.url(),
        j.method(),
        j.headers(),
        j.body(),
        j.idempotencyKey(),
        j.timeoutMs(),
        j.retry(),
        j.createdAt(),
        nextAttemptAt,
        finishedAt,
        attempts);
  }

  /** Writes of one entry, with reads that see the entry's own earlier writes. */
  private final class Tx {
    final JobStore.Batch batch;
    final Map<String, StoredJob> jobs = new HashMap<>();
    final Map<String, IdempotencyRecord> keys = new HashMap<>();
    long pending;

    Tx(JobStore.Batch batch, long pending) {
      this.batch = batch;
      this.pending = pending;
    }

    Optional<StoredJob> job(String id) {
      StoredJob written = jobs.get(id);
      return written != null ? Optional.of(written) : store.job(id);
    }

    void put(StoredJob job) {
      jobs.put(job.job().id(), job);
      batch.putJob(job);
    }
  }
}
