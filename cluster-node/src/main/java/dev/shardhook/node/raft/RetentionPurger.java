package dev.shardhook.node.raft;

import dev.shardhook.node.store.JobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's purge loop: every {@code min(retention / 10, 1 min)} it proposes {@link
 * Command.Purge} entries, a bounded batch each, until no finished job or bulk operation is past
 * retention and no idempotency key past its window is left. The times travel in the entry, so every
 * replica removes the same records. Runs only while this node leads the term it was started for.
 */
public final class RetentionPurger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionPurger.class);

  /** Jobs (and expired keys) one entry removes at most: keeps entries and apply time small. */
  static final int BATCH = 1_000;

  /** Entries one round proposes at most, so a large backlog does not hold the loop's thread. */
  static final int MAX_ENTRIES_PER_ROUND = 100;

  private static final Duration MAX_INTERVAL = Duration.ofMinutes(1);
  private static final Duration MIN_INTERVAL = Duration.ofMillis(50);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

  private final RaftShard shard;
  private final JobStore store;
  private final Duration retention;
  private final Duration interval;
  private final Clock clock;
  private final Counter purged;
  private final Counter failures;
  private final boolean waitsForExport;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("retention-purger").daemon().factory());
  private ScheduledFuture<?> rounds;

  public RetentionPurger(
      RaftShard shard, JobStore store, Duration retention, Clock clock, MeterRegistry registry) {
    this(shard, store, retention, clock, registry, false);
  }

  /**
   * @param waitsForExport the purge keeps jobs the history exporter has not passed (README, "Job
   *     history"): no entry is proposed while the oldest finished job waits for it
   */
  public RetentionPurger(
      RaftShard shard,
      JobStore store,
      Duration retention,
      Clock clock,
      MeterRegistry registry,
      boolean waitsForExport) {
    this.waitsForExport = waitsForExport;
    this.shard = shard;
    this.store = store;
    this.retention = retention;
    this.interval = intervalFor(retention);
    this.clock = clock;
    this.purged =
        Counter.builder("shardhook.purged.jobs")
            .description("Finished jobs this node purged after their retention, as leader")
            .register(registry);
    this.failures =
        Counter.builder("shardhook.purge.failures")
            .description("Purge rounds that failed (logged; the next round tries again)")
            .register(registry);
  }

  static Duration intervalFor(Duration retention) {
    Duration tenth = retention.dividedBy(10);
    if (tenth.compareTo(MAX_INTERVAL) > 0) {
      return MAX_INTERVAL;
    }
    return tenth.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : tenth;
  }

  /** Starts purging for {@code term}; call when this node becomes the ready leader. */
  public synchronized void start(long term) {
    stop();
    if (timer.isShutdown()) {
      return;
    }
    long ms = interval.toMillis();
    rounds = timer.scheduleWithFixedDelay(() -> round(term), ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops purging; a round under way ends after its current entry. */
  public synchronized void stop() {
    if (rounds != null) {
      rounds.cancel(false);
      rounds = null;
    }
  }

  void round(long term) {
    try {
      for (int i = 0; i < MAX_ENTRIES_PER_ROUND && shard.leads(term); i++) {
        long now = clock.millis();
        long finishedBefore = now - retention.toMillis();
        List<JobStore.Indexed> oldest = store.finishedUpTo(finishedBefore, 1);
        boolean keysExpired = !store.keysExpiredBy(now, 1).isEmpty();
        boolean operationsDone = !store.operationsFinishedBy(finishedBefore, 1).isEmpty();
        if ((oldest.isEmpty() || waitsForExport(oldest.getFirst()))
            && !keysExpired
            && !operationsDone) {
          return;
        }
        Command.Purge purge = new Command.Purge(now, finishedBefore, BATCH);
        RaftClientReply reply =
            shard
                .propose(CommandCodec.proposal(purge))
                .get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!reply.isSuccess()) {
          throw new IllegalStateException("purge entry refused: " + reply.getException());
        }
        long count = CommandCodec.purgedCount(reply.getMessage().getContent());
        purged.increment(count);
        // Nothing removed: the oldest finished jobs wait for the history exporter (README, "Job
        // history"); the next round looks again.
        if (count == 0 && store.keysExpiredBy(now, 1).isEmpty()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failures.increment();
      LOG.warn("purge round failed; the next one tries again", e);
    }
  }

  private boolean waitsForExport(JobStore.Indexed oldest) {
    return waitsForExport
        && store.finishIndex(oldest.id()).orElse(-1L) > store.exportedThrough()
        && store.job(oldest.id()).map(j -> j.job().state().isTerminal()).orElse(false);
  }

  @Override
  public synchronized void close() {
    stop();
    timer.shutdownNow();
  }
}
