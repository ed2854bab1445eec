package dev.shardhook.node.raft;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.queue.QueueConfig;
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
   * Creates a cron schedule (README, "Schedules"), or finds the one its id (derived from the
   * idempotency key) already names.
   *
   * @param schedule the schedule, its first firing computed by the node that took the request
   * @param atMs leader's clock when it admitted the entry: the schedule's creation
   */
  record PutSchedule(ScheduleRecord schedule, long atMs) implements Command {}

  /**
   * Pauses or resumes a schedule; a resume takes its next firing from the entry, so the firings
   * that fell while it was paused are dropped.
   *
   * @param scheduleId scoped id
   * @param paused pause (true) or resume
   * @param nextFireAtMs on resume, the first firing after the resume
   * @param atMs leader's clock when it admitted the entry
   */
  record SetSchedulePaused(String scheduleId, boolean paused, Long nextFireAtMs, long atMs)
      implements Command {}

  /**
   * Deletes a schedule; the jobs it fired stay.
   *
   * @param scheduleId scoped id
   */
  record DeleteSchedule(String scheduleId) implements Command {}

  /**
   * One firing of a schedule, proposed by the leader's schedule loop with every time in it. It
   * applies only when {@code fireAtMs} is at or after the schedule's stored next firing, so a
   * firing proposed twice (a retry, or a new leader's) applies once; the fired job's id, derived
   * from the schedule and {@code fireAtMs}, is a second guard.
   *
   * @param scheduleId scoped id
   * @param fireAtMs the scheduled time
   * @param fire whether to create the job (false: the catch-up policy skips it)
   * @param skipped earlier missed firings this entry passes over without a job
   * @param nextFireAtMs the firing after {@code fireAtMs}, or null when the schedule ends
   * @param atMs leader's clock when it admitted the entry: the job's acceptance
   */
  record FireSchedule(
      String scheduleId, long fireAtMs, boolean fire, int skipped, Long nextFireAtMs, long atMs)
      implements Command {}

  /**
   * Creates or replaces a named queue's configuration (README, "Queues").
   *
   * @param queue the configuration (its time is ignored: the entry's is used)
   * @param atMs leader's clock when it admitted the entry
   */
  record PutQueue(QueueConfig queue, long atMs) implements Command {}

  /** Deletes a named queue; refused for {@code default} and while it holds pending jobs. */
  record DeleteQueue(String tenant, String name, long atMs) implements Command {}

  /** Pauses or resumes a named queue ({@code default} is configured by the first pause). */
  record SetQueuePaused(String tenant, String name, boolean paused, long atMs) implements Command {}

  /**
   * Cancels up to {@code limit} pending jobs of a queue created before {@code createdBeforeMs},
   * oldest first, as a cancel does; the node handling the purge proposes entries until one cancels
   * fewer than {@code limit}.
   */
  record PurgeQueue(String tenant, String name, long createdBeforeMs, int limit, long atMs)
      implements Command {}

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
