package dev.shardhook.client;

import dev.shardhook.api.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Polls a job until it is final: the first look at once, then waits growing by half from {@value
 * #FIRST_WAIT_MS} ms to {@value #MAX_WAIT_MS} ms, none past the timeout. Each read may retry within
 * the client's total deadline, but not past the timeout, except that a read started near the
 * timeout still gets {@link #MIN_READ_BUDGET} to finish.
 */
final class CompletionPoller {
  static final long FIRST_WAIT_MS = 50;
  static final long MAX_WAIT_MS = 2_000;
  static final Duration MIN_READ_BUDGET = Duration.ofSeconds(2);

  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration callDeadline;

  /**
   * @param callDeadline the most one read may take with its retries
   */
  CompletionPoller(Clock clock, Sleeper sleeper, Duration callDeadline) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.callDeadline = callDeadline;
  }

  private Instant readDeadline(Instant awaitDeadline) {
    Instant now = clock.instant();
    Instant floor = now.plus(MIN_READ_BUDGET);
    Instant wanted = awaitDeadline.isAfter(floor) ? awaitDeadline : floor;
    Instant cap = now.plus(callDeadline);
    return wanted.isBefore(cap) ? wanted : cap;
  }

  /**
   * @param read reads the job, bounded by the deadline it is given
   * @throws ShardhookException.CompletionTimeout if the job is not final by the timeout
   * @throws ShardhookException.NotFound if there is no such job
   */
  Job await(String id, Duration timeout, Function<Instant, Optional<Job>> read) {
    Instant deadline = clock.instant().plus(timeout);
    long waitMs = FIRST_WAIT_MS;
    while (true) {
      Job job =
          read.apply(readDeadline(deadline))
              .orElseThrow(
                  () ->
                      new ShardhookException.NotFound("GET /jobs/" + id + ": 404 Not found", null));
      if (job.status() != null && job.status().isTerminal()) {
        return job;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new ShardhookException.CompletionTimeout(
            "job " + id + " still " + job.status() + " after " + timeout, job);
      }
      try {
        sleeper.sleep(
            left.compareTo(Duration.ofMillis(waitMs)) < 0 ? left : Duration.ofMillis(waitMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ShardhookException.CompletionTimeout stopped =
            new ShardhookException.CompletionTimeout(
                "interrupted while waiting for job " + id + ", still " + job.status(), job);
        stopped.addSuppressed(e);
        throw stopped;
      }
      waitMs = Math.min(MAX_WAIT_MS, waitMs + waitMs / 2);
    }
  }
}
