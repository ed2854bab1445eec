package dev.shardhook.node.raft;

import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueueService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link QueueService} over Raft, through {@link RaftJobService}'s proposal path. A purge proposes
 * entries of at most {@link #PURGE_PAGE} jobs until one cancels fewer: every entry stays small and
 * the queue's new jobs (created after the purge began) are left alone.
 */
public final class RaftQueueService implements QueueService {
  static final int PURGE_PAGE = 1000;
  static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(10);

  private final RaftJobService jobs;
  private final Clock clock;

  public RaftQueueService(RaftJobService jobs, Clock clock) {
    this.jobs = jobs;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Long> put(QueueConfig queue) {
    return count(new Command.PutQueue(queue, 0));
  }

  @Override
  public CompletableFuture<Long> delete(String tenant, String name) {
    return count(new Command.DeleteQueue(tenant, name, 0));
  }

  @Override
  public CompletableFuture<Long> setPaused(String tenant, String name, boolean paused) {
    return count(new Command.SetQueuePaused(tenant, name, paused, 0));
  }

  @Override
  public CompletableFuture<Long> purge(String tenant, String name) {
    long startedAt = clock.millis();
    return purgeFrom(tenant, name, startedAt, 0);
  }

  private CompletableFuture<Long> purgeFrom(String tenant, String name, long before, long sum) {
    return count(new Command.PurgeQueue(tenant, name, before, PURGE_PAGE, 0))
        .thenCompose(
            n ->
                n < PURGE_PAGE
                    ? CompletableFuture.completedFuture(sum + n)
                    : purgeFrom(tenant, name, before, sum + n));
  }

  @Override
  public CompletableFuture<Void> caughtUp() {
    return jobs.caughtUp();
  }

  /**
   * Blocks until {@link #caughtUp()} completes.
   *
   * @throws ShardUnavailableException when the shard could not confirm it in time
   */
  public void awaitCaughtUp() {
    try {
      caughtUp().get(CATCH_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new ShardUnavailableException("the shard could not answer the read", e.getCause());
    } catch (TimeoutException e) {
      throw new ShardUnavailableException("the shard could not answer the read in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShardUnavailableException("the node is shutting down", e);
    }
  }

  private CompletableFuture<Long> count(Command command) {
    return jobs.write(command, reply -> CommandCodec.purgedCount(reply.getMessage().getContent()));
  }
}
