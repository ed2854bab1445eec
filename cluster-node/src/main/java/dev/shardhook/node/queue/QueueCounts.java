package dev.shardhook.node.queue;

/**
 * A queue's counts on this shard, kept by the state machine as jobs change (the same on every
 * replica).
 *
 * @param depth pending jobs
 * @param delivered jobs that succeeded
 * @param failed jobs that failed terminally
 */
public record QueueCounts(long depth, long delivered, long failed) {
  public static final QueueCounts ZERO = new QueueCounts(0, 0, 0);

  /** These counts moved by the given changes; never below zero. */
  public QueueCounts plus(long depthDelta, long deliveredDelta, long failedDelta) {
    return new QueueCounts(
        Math.max(0, depth + depthDelta),
        Math.max(0, delivered + deliveredDelta),
        Math.max(0, failed + failedDelta));
  }
}
