package dev.shardhook.node.raft;

import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.store.JobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's bulk-replay loop (README, "Replaying failed jobs"): for each running operation it
 * pages the list index with the operation's filter, from the position the store holds, and proposes
 * one {@link Command.Replay} per page carrying the operation and the position it moves to; the last
 * page finishes the operation. Progress lives only in the store, written by apply, so a new leader
 * resumes where the old one's last applied page ended, and a page proposed twice applies once. A
 * page refused for a full queue is proposed again later: the operation waits, it never fails for
 * it. Runs only while this node leads the term it was started for.
 */
public final class OperationWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperationWorker.class);

  /** Jobs one page, and so one log entry, replays at most. */
  static final int PAGE = 500;

  /** Pages one round proposes at most, so one large operation does not hold the loop. */
  static final int MAX_PAGES_PER_ROUND = 200;

  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

  private final RaftShard shard;
  private final JobStore store;
  private final LongSupplier room;
  private final Counter failures;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("operation-worker").daemon().factory());
  private ScheduledFuture<?> rounds;

  /**
   * @param room how many more jobs the shard's queue takes now: a page is never larger, since
   *     admission takes a page whole or not at all
   */
  public OperationWorker(
      RaftShard shard, JobStore store, LongSupplier room, MeterRegistry registry) {
    this.shard = shard;
    this.store = store;
    this.room = room;
    this.failures =
        Counter.builder("shardhook.operation.failures")
            .description("Bulk-operation rounds that failed (logged; the next round tries again)")
            .register(registry);
  }

  /** Starts working for {@code term}; call when this node becomes the ready leader. */
  public synchronized void start(long term) {
    stop();
    if (timer.isShutdown()) {
      return;
    }
    long ms = INTERVAL.toMillis();
    rounds = timer.scheduleWithFixedDelay(() -> round(term), 0, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops working; a page under way ends after its entry. */
  public synchronized void stop() {
    if (rounds != null) {
      rounds.cancel(false);
      rounds = null;
    }
  }

  void round(long term) {
    try {
      for (OperationRecord op : store.runningOperations()) {
        work(term, op);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failures.increment();
      LOG.warn("bulk operation round failed; the next one tries again", e);
    }
  }

  private void work(long term, OperationRecord op) throws Exception {
    OperationRecord current = op;
    for (int i = 0; i < MAX_PAGES_PER_ROUND && current.running() && shard.leads(term); i++) {
      long free = room.getAsLong();
      if (free <= 0) {
        return;
      }
      JobPage page = store.list(current.nextPage((int) Math.min(PAGE, free)));
      List<String> ids = page.jobs().stream().map(JobRecord::id).toList();
      Command.Replay replay =
          new Command.Replay(
              0,
              List.of(),
              ids,
              current.id(),
              current.position(),
              page.next(),
              page.next() == null);
      RaftClientReply reply =
          shard
              .propose(CommandCodec.proposal(replay))
              .get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!reply.isSuccess()) {
        throw new IllegalStateException("replay page refused: " + reply.getException());
      }
      OperationRecord after = store.operation(current.id()).orElse(null);
      if (after == null) {
        return;
      }
      if (after.running() && Objects.equals(after.position(), current.position())) {
        // Not taken (queue full, or another page moved it meanwhile): the next round tries again.
        return;
      }
      current = after;
    }
  }

  @Override
  public synchronized void close() {
    stop();
    timer.shutdownNow();
  }
}
