package dev.shardhook.node.raft;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import java.util.List;

/**
 * A state-machine command, the payload of one Raft log entry. Proposals arrive with the
 * leader-stamped fields empty; the leader's {@code startTransaction} fills them so every replica
 * applies the same times and jitter.
 */
sealed interface Command {

  /**
   * New jobs, several requests' worth per entry (group commit).
   *
   * @param acceptedAtMs leader's clock when it admitted the entry
   * @param keyExpiresAtMs when idempotency keys created by this entry expire
   * @param rejected indexes of jobs refused by admission (queue full)
   * @param jobs the submissions
   */
  record Submit(long acceptedAtMs, long keyExpiresAtMs, List<Integer> rejected, List<NewJob> jobs)
      implements Command {
    public Submit {
      rejected = rejected == null ? List.of() : List.copyOf(rejected);
    }
  }

  /**
   * Attempt results, batched.
   *
   * @param outcomes the results
   * @param jitters one value in [0,1) per outcome, drawn by the leader for the retry backoff
   */
  record Outcome(List<AttemptOutcome> outcomes, List<Double> jitters) implements Command {}

  /**
   * Cancels one job.
   *
   * @param jobId the job
   * @param atMs leader's clock when it admitted the entry
   */
  record Cancel(String jobId, long atMs) implements Command {}

  /**
   * Removes finished jobs past their retention and idempotency records past their window whose job
   * is gone, oldest first. The leader's purge loop proposes it with times from its clock, so every
   * replica removes exactly the same records.
   *
   * @param atMs leader's clock when it proposed: idempotency records expired by then may go
   * @param finishedBeforeMs jobs that finished at or before this time may go
   * @param limit most jobs, and most expired keys, this entry removes
   */
  record Purge(long atMs, long finishedBeforeMs, int limit) implements Command {}

  /**
   * Moves failed or cancelled jobs back to pending, due at once, with a fresh retry budget. One
   * entry of a bulk operation also carries the operation and the page it takes: it applies only if
   * the operation still stands at {@code from}, and then moves it to {@code to}.
   *
   * @param atMs leader's clock when it admitted the entry: the jobs are due then
   * @param rejected indexes of jobs refused by admission (queue full); for an operation's page, all
   *     or none
   * @param jobIds the jobs (scoped ids)
   * @param operationId the bulk operation (scoped id) whose page this is, or null
   * @param from where the operation must stand for the page to apply
   * @param to where the operation stands after the page
   * @param last whether this page ends the operation
   */
  record Replay(
      long atMs,
      List<Integer> rejected,
      List<String> jobIds,
      String operationId,
      JobQuery.Position from,
      JobQuery.Position to,
      boolean last)
      implements Command {
    public Replay {
      rejected = rejected == null ? List.of() : List.copyOf(rejected);
      jobIds = List.copyOf(jobIds);
    }

    /** A replay of single jobs, outside any operation. */
    public Replay(long atMs, List<Integer> rejected, List<String> jobIds) {
      this(atMs, rejected, jobIds, null, null, null, false);
    }

    Replay stamped(long at, List<Integer> refused) {
      return new Replay(at, refused, jobIds, operationId, from, to, last);
    }
  }

  /**
   * Starts a bulk replay, or finds the one its idempotency key already started.
   *
   * @param operation the operation's id and filter (its times and counts are ignored)
   * @param atMs leader's clock when it admitted the entry: the operation's start
   */
  record StartOperation(OperationRecord operation, long atMs) implements Command {}

  /**
   * The history exporter has written every job that became final at or before log index {@code
   * index} (README, "Job history"); the purge keeps the jobs after it. The leader proposes it after
   * its exporter commits, at most about once a second.
   *
   * @param index log index of the newest export-queue entry exported
   */
  record ExportedThrough(long index) implements Command {}

  /**
   * Disables a destination: the dispatcher stops attempting its jobs (README, "Destinations"). The
   * leader proposes it once the destination has failed for {@code --destination-disable-after}.
   *
   * @param host {@code host:port}
   * @param atMs stamped by the leader when it admits the entry
   * @param reason why, for operators
   */
  record DestinationDisabled(String host, long atMs, String reason) implements Command {}

  /**
   * Enables a disabled destination again (an admin's {@code POST /destinations/{host}:enable}).
   *
   * @param host {@code host:port}
   * @param atMs stamped by the leader when it admits the entry
   */
  record DestinationEnabled(String host, long atMs) implements Command {}
}
