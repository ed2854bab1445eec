package dev.shardhook.node.raft;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueueReplies;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreBatch;
import java.util.Optional;

/**
 * How the queue commands change the store (README, "Queues"). Deterministic, as all of apply: the
 * checks read only the store, so every replica refuses or applies the same entries. Replies are the
 * {@link QueueReplies} codes.
 */
final class QueueEntries {
  private QueueEntries() {}

  static Long put(JobStore store, StoreBatch batch, Command.PutQueue q) {
    QueueConfig queue = q.queue();
    boolean exists = store.queue(queue.tenant(), queue.name()).isPresent();
    if (!exists
        && store.queues(queue.tenant(), QueueConfig.MAX_PER_TENANT).size()
            >= QueueConfig.MAX_PER_TENANT) {
      return QueueReplies.TOO_MANY;
    }
    batch.putQueue(queue.at(q.atMs()));
    return exists ? QueueReplies.REPLACED : QueueReplies.CREATED;
  }

  static Long delete(JobStore store, StoreBatch batch, Command.DeleteQueue q) {
    if (q.name().equals(JobRecord.DEFAULT_QUEUE)) {
      return QueueReplies.IS_DEFAULT;
    }
    if (store.queue(q.tenant(), q.name()).isEmpty()) {
      return QueueReplies.NOT_FOUND;
    }
    if (store.queueCounts(q.tenant(), q.name()).depth() > 0) {
      return QueueReplies.HAS_PENDING;
    }
    batch.deleteQueue(q.tenant(), q.name());
    return QueueReplies.DELETED;
  }

  static Long setPaused(JobStore store, StoreBatch batch, Command.SetQueuePaused q) {
    Optional<QueueConfig> found = store.queue(q.tenant(), q.name());
    if (found.isEmpty() && !q.name().equals(JobRecord.DEFAULT_QUEUE)) {
      return QueueReplies.NOT_FOUND;
    }
    QueueConfig queue = found.orElseGet(() -> QueueConfig.implicitDefault(q.tenant()));
    batch.putQueue(queue.paused(q.paused(), q.atMs()));
    return QueueReplies.REPLACED;
  }
}
