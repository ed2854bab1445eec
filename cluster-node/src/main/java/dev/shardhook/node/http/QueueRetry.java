package dev.shardhook.node.http;

import dev.shardhook.api.RetrySpec;

/** A job's retry fields over its queue's defaults (README, "Queues"). */
final class QueueRetry {
  private QueueRetry() {}

  /** Each field of {@code job}, else the queue's; null when both are null. */
  static RetrySpec merge(RetrySpec job, RetrySpec queue) {
    if (queue == null) {
      return job;
    }
    if (job == null) {
      return queue;
    }
    return new RetrySpec(
        job.maxAttempts() != null ? job.maxAttempts() : queue.maxAttempts(),
        job.initialBackoffMs() != null ? job.initialBackoffMs() : queue.initialBackoffMs(),
        job.maxBackoffMs() != null ? job.maxBackoffMs() : queue.maxBackoffMs(),
        job.multiplier() != null ? job.multiplier() : queue.multiplier(),
        job.maxRetryDurationMs() != null ? job.maxRetryDurationMs() : queue.maxRetryDurationMs());
  }
}
