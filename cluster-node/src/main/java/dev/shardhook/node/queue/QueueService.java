package dev.shardhook.node.queue;

import java.util.concurrent.CompletableFuture;

/**
 * The queue writes, replicated through the shard's log (README, "Queues"). Futures complete with a
 * {@link QueueReplies} code, or the number of jobs a purge cancelled; they fail as {@link
 * dev.shardhook.node.job.JobService}'s do.
 */
public interface QueueService {
  CompletableFuture<Long> put(QueueConfig queue);

  CompletableFuture<Long> delete(String tenant, String name);

  CompletableFuture<Long> setPaused(String tenant, String name, boolean paused);

  /** Cancels every pending job of the queue created before now, in bounded entries. */
  CompletableFuture<Long> purge(String tenant, String name);

  /** Completes once this node has applied everything committed when it was called. */
  CompletableFuture<Void> caughtUp();
}
