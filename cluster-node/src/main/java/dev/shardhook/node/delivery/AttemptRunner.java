package dev.shardhook.node.delivery;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobRecord;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one attempt on a virtual thread and hands its outcome to the sink. */
final class AttemptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

  private final WebhookDelivery delivery;
  private final OutcomeSink sink;
  private final Clock clock;
  private final DispatchMetrics metrics;

  AttemptRunner(WebhookDelivery delivery, OutcomeSink sink, Clock clock, DispatchMetrics metrics) {
    this.delivery = delivery;
    this.sink = sink;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Starts {@code job}'s next attempt. When the receiver has answered (or failed), {@code answered}
   * runs with the outcome, then the outcome goes to the sink, then {@code ended} runs with whether
   * the sink took it. Throws only if no thread could be started.
   */
  void start(JobRecord job, Answered answered, Ended ended) {
    start(job, null, answered, ended);
  }

  /**
   * As {@link #start(JobRecord, Answered, Ended)}; with a {@code refusal}, the receiver is not
   * called: the attempt fails permanently with that error (a disabled destination's job that is to
   * fail), and so the job fails through Raft like any other.
   */
  void start(JobRecord job, String refusal, Answered answered, Ended ended) {
    int number = job.nextAttemptNumber();
    Thread.ofVirtual()
        .name("attempt-" + job.id())
        .start(() -> run(job, number, refusal, answered, ended));
  }

  private void run(JobRecord job, int number, String refusal, Answered answered, Ended ended) {
    boolean recorded = false;
    try {
      Instant startedAt = clock.instant();
      AttemptOutcome outcome;
      try {
        outcome =
            refusal == null
                ? delivery.attempt(job, number, startedAt)
                : new AttemptOutcome(job.id(), number, startedAt, 0, null, refusal, null, true);
      } catch (Throwable t) {
        // delivery reports every failure as an outcome; a bug must still free the job
        metrics.errors.increment();
        LOG.error("delivery of {} threw", job.id(), t);
        outcome =
            new AttemptOutcome(
                job.id(), number, startedAt, 0, null, "delivery error: " + t, null, false);
      }
      answered.accept(outcome);
      metrics.record(outcome);
      try {
        sink.record(outcome);
        recorded = true;
      } catch (Throwable t) {
        LOG.error("outcome of {} could not be recorded; it will be attempted again", job.id(), t);
      }
    } finally {
      ended.accept(recorded);
    }
  }

  /** The receiver answered; runs before the outcome goes to the sink. */
  interface Answered {
    void accept(AttemptOutcome outcome);
  }

  /** The attempt is over; {@code recorded}: the sink took its outcome. */
  interface Ended {
    void accept(boolean recorded);
  }
}
